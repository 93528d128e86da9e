"""The peer of bench/http/app.sx's /hello: the same route hand-written in
Starlette, served by the same uvicorn (bench/serve.py starts it with
`python -m uvicorn hello_starlette:app`)."""

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def hello(request):
    return PlainTextResponse("hello")

app = Starlette(routes=[Route("/hello", hello)])
