"""daphne as Spolu runs it: `python -m config.serve [daphne's options] config.asgi:application`.

The same daphne, with one change: a request whose line or headers are too long gets an answer.
Twisted's HTTP parser (which daphne uses) drops the connection without a word when one line
passes 16 KiB (`LineReceiver.lineLengthExceeded`) and answers a bare 400 when the request line
and headers together pass 16 KiB. Here the request line answers 414 URI Too Long and the headers
431 Request Header Fields Too Large, each with a short text and `Connection: close`; then the
rest of what the client sends is read and dropped (for at most LINGER_SECONDS) so it can read
the answer before the connection closes, instead of getting a reset.
"""

import sys

from daphne.cli import CommandLineInterface
from daphne.server import Server
from twisted.web import http

# Twisted's limits, kept: a request line of at most 16 KiB, request line and headers together
# at most 16 KiB.
MAX_LINE = http.HTTPChannel.MAX_LENGTH
MAX_HEADERS = http.HTTPChannel.totalHeadersSize
LINGER_SECONDS = 5

URI_TOO_LONG = (414, b"URI Too Long", b"The address is too long.\n")
HEADERS_TOO_LARGE = (
    431,
    b"Request Header Fields Too Large",
    b"The request's headers are too large.\n",
)


class LimitedHTTPChannel(http.HTTPChannel):
    """Twisted's HTTP/1.1 channel, answering 414 and 431 where it would drop or answer 400."""

    _refused = False

    def _in_request_line(self) -> bool:
        # Twisted counts the bytes of the request line and headers read for this request.
        return self._receivedHeaderSize == 0

    def lineLengthExceeded(self, line):
        self._refuse(URI_TOO_LONG if self._in_request_line() else HEADERS_TOO_LARGE)

    def lineReceived(self, line):
        if self._refused:
            return
        if self._receivedHeaderSize + len(line) > self.totalHeadersSize:
            self._refuse(URI_TOO_LONG if self._in_request_line() else HEADERS_TOO_LARGE)
            return
        super().lineReceived(line)

    def _refuse(self, answer) -> None:
        if self._refused:
            return
        self._refused = True
        status, reason, body = answer
        self.transport.write(
            b"HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (status, reason, len(body), body)
        )
        # Read and drop the rest, so the client's unread bytes do not turn the close into a
        # reset that loses the answer; the client closes, or the timeout does.
        self.dataReceived = lambda data: None
        self.setTimeout(LINGER_SECONDS)
        self.transport.loseWriteConnection()

    def timeoutConnection(self):
        if self._refused:
            self.transport.abortConnection()
        else:
            super().timeoutConnection()


def _limited_protocol():
    # What twisted.web.http.HTTPFactory builds (_genericHTTPChannelProtocolFactory), with the
    # channel above. tests/config/test_serve.py fails if a Twisted upgrade changes this.
    return http._GenericHTTPChannelProtocol(LimitedHTTPChannel())


class LimitedServer(Server):
    """daphne's server; its HTTP factory builds LimitedHTTPChannel connections."""

    @property
    def http_factory(self):
        return self._http_factory

    @http_factory.setter
    def http_factory(self, factory):
        # Server.run() makes daphne's HTTPFactory; its `protocol` is what buildProtocol calls.
        factory.protocol = _limited_protocol
        self._http_factory = factory


class LimitedCommandLineInterface(CommandLineInterface):
    server_class = LimitedServer


def main(argv: list[str] | None = None) -> None:
    LimitedCommandLineInterface().run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
