"""Every change to a live session, one module per concern (sessions and joining, agenda,
questions, speakers, timer, ballots, minutes). Each service checks its rule, writes in one
transaction with the session's row locked and records the durable event the session's sockets
receive (numbered, and broadcast after commit), so a change made by a form post reaches the
room exactly like one made over the socket. Services take and return domain values: the
socket's wire format and the pages' forms are translated by the consumer and the views."""
