"""Functions whose arguments stream (README, "Many calls on one connection")."""

from collections.abc import AsyncIterator

from seroval.rpc import ServerFunctions

functions = ServerFunctions()


@functions.function
async def total(numbers: AsyncIterator[int]) -> int:
    """Client streaming: sums the numbers as they arrive."""
    result = 0
    async for number in numbers:
        result += number
    return result


@functions.function
async def doubled(numbers: AsyncIterator[int]) -> AsyncIterator[int]:
    """Bidirectional: each number back, doubled, as soon as it arrives."""
    async for number in numbers:
        yield number * 2
