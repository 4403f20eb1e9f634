"""The only place that names streams and channel-layer groups.

A stream key names what clients follow ("proposal:5"); the group is the channel-layer group
through which every server process's hub hears that stream's frames.
"""

import hashlib

SESSION, PROPOSAL, BALLOT, CONVERSATION = "session", "proposal", "ballot", "conversation"


def session_stream(session_pk: int) -> str:
    return f"{SESSION}:{int(session_pk)}"


def proposal_stream(proposal_pk: int) -> str:
    return f"{PROPOSAL}:{int(proposal_pk)}"


def ballot_stream(ballot_pk: int) -> str:
    return f"{BALLOT}:{int(ballot_pk)}"


def conversation_stream(conversation_pk: int) -> str:
    return f"{CONVERSATION}:{int(conversation_pk)}"


def stream_kind(stream: str) -> str:
    return stream.split(":", 1)[0]


def group_name(stream: str) -> str:
    """Channel-layer group names allow only [a-zA-Z0-9-_.] and < 100 characters."""
    safe = stream.replace(":", ".")
    if len(safe) > 80 or not all(c.isalnum() or c in "-_." for c in safe):
        safe = hashlib.sha256(stream.encode()).hexdigest()[:40]
    return f"stream.{safe}"
