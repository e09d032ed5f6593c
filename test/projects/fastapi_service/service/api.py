from fastapi import FastAPI

from service import repository

app = FastAPI()


@app.get("/items/{key}")
def read_item(key: str):
    repository.count_hit()
    repository.count_hit_locked()
    return repository.remember(key, key.upper())


@app.get("/async/{key}")
async def read_async(key: str):
    repository.count_on_loop()
    return {"key": key}
