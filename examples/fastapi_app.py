from fastapi import FastAPI

from examples.shop import functions

app = FastAPI()
app.mount("/rpc", functions.asgi_app())


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
