"""The demo site (examples/blog/), in process: an ASGI client talks to the
blog under every tier, one conversation each, and the responses must be
identical (but for the X-Response-Time header). Then what the pages, the
feed, the JSON API, the relations and the comments must say, checked
against the seed posts (examples/blog/posts/*.md) read here independently.

Each tier's app bootstraps SOM and renders every post once as it starts:
about 12 s under cek, 6 s under auto.
"""

import asyncio
import os
import re
import xml.etree.ElementTree as ET

import httpx
import pytest

from sx.api import TIERS
from sx.serve.http import SxApp

HERE = os.path.dirname(os.path.abspath(__file__))
BLOG = os.path.join(HERE, "..", "examples", "blog")
APP = os.path.join(BLOG, "app.sx")


def seed_posts() -> dict:
    """slug -> header fields, from the post files themselves."""
    posts = {}
    for name in sorted(os.listdir(os.path.join(BLOG, "posts"))):
        text = open(os.path.join(BLOG, "posts", name), encoding="utf-8").read()
        header = text.split("\n---\n", 1)[0]
        fields = dict(line.split(": ", 1) for line in header.splitlines())
        fields["tags"] = [t.strip() for t in fields["tags"].split(",")]
        posts[name[name.index("-") + 1:-3]] = fields
    return posts


# The conversation: every route, good and bad requests, a comment posted by
# a form and by JSON, then the pages that show it.
SCRIPT = [
    ("GET", "/", None),
    ("GET", "/posts/smalltalk-renders-this-page", None),
    ("GET", "/posts/why-a-reference-interpreter", None),
    ("GET", "/tags", None),
    ("GET", "/tags/jit", None),
    ("GET", "/tags/no-such-tag", None),
    ("GET", "/feed.xml", None),
    ("GET", "/api/posts", None),
    ("GET", "/api/posts/hostile-input", None),
    ("GET", "/api/posts/nope", None),
    ("GET", "/static/style.css", None),
    ("GET", "/static/../app.sx", None),
    ("GET", "/no/such/page", None),
    ("GET", "/posts/nope", None),
    ("DELETE", "/posts/hostile-input", None),
    ("HEAD", "/tags", None),
    ("POST", "/posts/hostile-input/comments", {"data": {"author": " Eve ", "body": "<script>alert(1)</script> & more"}}),
    ("POST", "/posts/hostile-input/comments", {"data": {"author": "", "body": "x" * 2001}}),
    ("POST", "/posts/hostile-input/comments", {"content": "not a form"}),
    ("POST", "/posts/nope/comments", {"data": {"author": "A", "body": "B"}}),
    ("POST", "/api/posts/hostile-input/comments", {"json": {"author": "Bob", "body": "Nice."}}),
    ("POST", "/api/posts/hostile-input/comments", {"json": {"author": "Bob"}}),
    ("POST", "/api/posts/hostile-input/comments", {"json": [1, 2]}),
    ("POST", "/api/posts/hostile-input/comments",
     {"content": "{bad json", "headers": {"content-type": "application/json"}}),
    ("GET", "/posts/hostile-input", None),
    ("GET", "/api/posts/hostile-input", None),
]


def converse(tier):
    app = SxApp(APP, tier)

    async def main():
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 4321))
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
                out = []
                for method, path, kw in SCRIPT:
                    r = await c.request(method, path, **(kw or {}))
                    out.append(r)
                return out
        finally:
            await app.close()
    return asyncio.run(main())


def summary(r):
    """What must be the same under every tier: all but the time taken and
    the time a comment was posted (to the second)."""
    headers = [(k, v) for k, v in r.headers.multi_items()
               if k not in ("content-length", "x-response-time")]
    return r.status_code, headers, re.sub(rb'"created":"[0-9T:Z-]+"', b"", r.content)


@pytest.fixture(scope="module")
def responses():
    return {}


@pytest.mark.parametrize("tier", TIERS)
def test_every_tier_serves_the_same_site(tier, responses):
    got = converse(tier)
    # the timing middleware, on every response but the host's own 400 for bad JSON
    untimed = [(i, r.status_code, r.text[:200]) for i, r in enumerate(got)
               if "x-response-time" not in r.headers]
    assert [u[0] for u in untimed] == [23], untimed
    ref = converse("auto") if tier != "auto" else got
    for (method, path, _), a, b in zip(SCRIPT, got, ref):
        assert summary(a) == summary(b), (tier, method, path)


@pytest.fixture(scope="module")
def site():
    """The conversation under auto, by (method, path, index)."""
    return dict(zip(range(len(SCRIPT)), converse("auto")))


def test_pages(site):
    home = site[0]
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    posts = seed_posts()
    newest_first = sorted(posts, key=lambda s: posts[s]["date"], reverse=True)
    assert re.findall(r'<h2><a href="/posts/([a-z-]+)">', home.text) == newest_first
    post = site[1].text
    # the body, rendered by the SOM content library: markup turned into HTML
    assert "<h1>Smalltalk renders this page</h1>" in post
    assert "<em>content library written in SOM Smalltalk</em>" in post
    assert "<code>render:</code>" in post and "<blockquote>" in post
    assert re.findall(r'<ul class="tags">(.*?)</ul>', post)[0].count("<li>") == 3
    assert "<title>Smalltalk renders this page · SX blog</title>" in post
    tags = site[3].text
    for tag in ("jit", "scheme", "serving"):
        n = sum(tag in p["tags"] for p in posts.values())
        assert f'<a href="/tags/{tag}">{tag}</a> ({n})' in tags
    jit = site[4].text
    assert sorted(re.findall(r'<h2><a href="/posts/([a-z-]+)">', jit)) == \
        sorted(s for s, p in posts.items() if "jit" in p["tags"])


def test_relations_rank_posts_by_shared_tags(site):
    posts = seed_posts()
    me = posts["why-a-reference-interpreter"]
    shared = {s: len(set(p["tags"]) & set(me["tags"])) for s, p in posts.items()
              if s != "why-a-reference-interpreter"}
    ranked = sorted((s for s in shared if shared[s]),
                    key=lambda s: (-shared[s], [-ord(c) for c in posts[s]["date"]]))[:3]
    page = site[2].text
    aside = re.search(r'<aside class="related">(.*?)</aside>', page).group(1)
    assert re.findall(r'<a href="/posts/([a-z-]+)">', aside) == ranked
    assert f"({shared[ranked[0]]} shared tags)" in aside or f"({shared[ranked[0]]} shared tag)" in aside


def test_feed_is_atom(site):
    r = site[6]
    assert r.headers["content-type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(r.content)
    entries = root.findall("a:entry", ns)
    posts = seed_posts()
    assert [e.find("a:title", ns).text for e in entries] == \
        [p["title"] for p in sorted(posts.values(), key=lambda p: p["date"], reverse=True)]
    first = entries[0]
    assert first.find("a:content", ns).get("type") == "html"
    assert first.find("a:content", ns).text.startswith("<h1>")        # HTML, escaped in the XML
    assert root.find("a:link[@rel='self']", ns).get("href").endswith("/feed.xml")


def test_json_api(site):
    posts = seed_posts()
    listing = site[7].json()["posts"]
    assert {p["slug"] for p in listing} == set(posts)
    one = next(p for p in listing if p["slug"] == "hostile-input")
    assert one["tags"] == sorted(posts["hostile-input"]["tags"])
    assert one["url"] == "/posts/hostile-input" and one["author"] == "Ada"
    detail = site[8].json()
    assert detail["html"].startswith("<h1>Every bad input gets a clear error</h1>")
    assert detail["comments"] == []
    assert site[9].status_code == 404 and site[9].json() == {"error": "no such post"}


def test_bad_requests(site):
    assert site[5].status_code == 404                     # a tag with no post
    assert site[11].status_code == 404                    # out of the static folder
    for i in (12, 13):                                    # the site's own 404 page
        assert site[i].status_code == 404 and "<h1>Not found</h1>" in site[i].text
    assert site[14].status_code == 405 and "GET" in site[14].headers["allow"]
    assert site[15].status_code == 200 and site[15].content == b""     # HEAD
    assert site[10].status_code == 200 and b"font" in site[10].content  # the stylesheet


def test_comments(site):
    posted = site[16]
    assert posted.status_code == 303
    assert posted.headers["location"] == "/posts/hostile-input#comments"
    assert "commenter=Eve" in posted.headers["set-cookie"]
    refused = site[17]
    assert refused.status_code == 400
    assert "Please give your name." in refused.text
    assert "A comment has at most 2000 characters." in refused.text
    assert "x" * 2001 in refused.text                     # what was typed, kept in the form
    assert site[18].status_code == 400                    # no form at all
    assert site[19].status_code == 404
    assert site[20].status_code == 201 and site[20].json() == {"author": "Bob", "body": "Nice."}
    assert site[21].status_code == 400 and site[21].json() == {"errors": ["Please write a comment."]}
    assert site[22].status_code == 400 and site[23].status_code == 400
    page = site[24].text
    # the comment is shown as text: user content is escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<script>alert" not in page
    comments = page[page.index('<section id="comments">'):]
    assert re.findall(r'<strong>(\w+)</strong>', comments) == ["Eve", "Bob"]
    assert [c["author"] for c in site[25].json()["comments"]] == ["Eve", "Bob"]
