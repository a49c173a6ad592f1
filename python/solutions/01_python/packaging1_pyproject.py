"""The pyproject.toml of the orders-api service (reference solution)."""

PYPROJECT = """
[build-system]
requires = ["hatchling>=1.26"]
build-backend = "hatchling.build"

[project]
name = "orders-api"
version = "1.4.0rc1"
description = "The orders service of the shop."
readme = "README.md"
requires-python = ">=3.11"
license = "MIT"
authors = [{ name = "Shop Backend Team", email = "backend@shop.example" }]
dependencies = [
    "fastapi>=0.115,<1.0",
    "pydantic>=2.7,<3",
    "uvicorn[standard]>=0.30",
    "uvloop>=0.19; sys_platform != 'win32'",
]

[project.optional-dependencies]
dev = ["pytest>=8", "coverage[toml]>=7.5"]

[project.scripts]
orders-api = "orders_api.cli:main"

[tool.pytest.ini_options]
testpaths = ["tests"]
"""
