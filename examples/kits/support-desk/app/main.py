"""Sends support tickets to the triage flow with the platform's Python SDK."""

import os

from lamatic import Lamatic

client = Lamatic(
    endpoint=os.environ["LAMATIC_API_URL"],
    project_id=os.environ["LAMATIC_PROJECT_ID"],
    api_key=os.environ["LAMATIC_API_KEY"],
)

TRIAGE = os.getenv("TRIAGE_FLOW_ID")


def triage(ticket: str):
    # `priority` must be between 1 and 5.
    return client.execute_flow(TRIAGE, {"ticket": ticket, "priority": 9, "tags": ["billing"]})


async def triage_later(ticket: str, tags: list):
    payload = {"ticket": ticket, "priority": 2, "tags": tags}
    return await client.async_execute_flow(flow_id=os.environ["TRIAGE_FLOW_ID"], payload=payload)
