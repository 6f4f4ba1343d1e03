# IPython kernel configuration for the book's own environment; `make` copies it to
# .venv/etc/ipython/, which every kernel started from .venv reads before it opens its sockets.
#
# ipykernel 7 warns, on every kernel start, that a kernel "is running over TCP without encryption"
# and "is susceptible to eavesdropping". The kernels that build and test the book are started by
# jupyter-book (jupyter-cache, nbclient), nbval and nbconvert on 127.0.0.1 and shut down when the
# notebook is done; none of them offers a setting for IPC transport or CurveZMQ keys. The warning
# says nothing about the book, so this filter drops that one message and keeps every other.
import logging


class _DropLocalTcpNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "running over TCP without encryption" not in record.getMessage()


logging.getLogger("IPKernelApp").addFilter(_DropLocalTcpNotice())
