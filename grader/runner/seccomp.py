"""A seccomp filter that closes the kernel's channels a student's code has no use for.

Installed by the worker (:mod:`grader.runner.forkserver`) after it dropped
its rights and before any student code runs, at every isolation level that
is a security boundary.  The calls it refuses (with ``EPERM``) are those through
which two students could talk, or a student could reach out, when they share
a kernel but no namespace (the ``user`` level, as in a Gradescope container):

* ``socket``: no network, no abstract Unix socket between two students graded
  at once (``socketpair`` stays: it reaches no one else);
* System V IPC and POSIX message queues (``shmget``, ``semget``, ``msgget``, ``mq_open``);
* the kernel keyrings (``add_key``, ``request_key``, ``keyctl``), shared by every
  process of one user;
* new namespaces (``unshare``, ``setns``), ``ptrace`` and another process's memory,
  ``bpf``, ``userfaultfd``, and ``io_uring``, which can open sockets without ``socket``.

A call made through another architecture's entry (``int 0x80`` on x86-64) or the
x32 ABI is refused whole.  On a machine whose architecture is not listed here
no filter can be built: :func:`install` says so, and the isolation level that
needs it is not available.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct

from grader.runner.supervisor import libc

PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_X32_BIT = 0x40000000

REFUSED = ("socket", "shmget", "semget", "msgget", "mq_open", "add_key", "request_key", "keyctl", "unshare", "setns",
           "ptrace", "process_vm_readv", "process_vm_writev", "bpf", "userfaultfd", "io_uring_setup",
           "io_uring_enter", "io_uring_register")
# machine → (AUDIT_ARCH_*, whether the x32 ABI shares its entry, syscall numbers of REFUSED)
_ARCHES: dict[str, tuple[int, bool, dict[str, int]]] = {
    "x86_64": (0xC000003E, True, dict(zip(REFUSED, (
        41, 29, 64, 68, 240, 248, 249, 250, 272, 308, 101, 310, 311, 321, 323, 425, 426, 427)))),
    "aarch64": (0xC00000B7, False, dict(zip(REFUSED, (
        198, 194, 190, 186, 180, 217, 218, 219, 97, 268, 117, 270, 271, 280, 282, 425, 426, 427)))),
}


class _Filter(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def supported() -> bool:
    """Whether a filter can be built for this machine's architecture."""
    return platform.machine() in _ARCHES


def program(machine: str) -> bytes:
    """The classic-BPF program for ``machine``: refuse :data:`REFUSED` and foreign entries, allow the rest."""
    arch, x32, numbers = _ARCHES[machine]
    refuse = _RET_ERRNO | errno.EPERM
    body: list[tuple[int, int, int, int]] = [(_LD_W_ABS, 0, 0, 4)]  # seccomp_data.arch
    checks = [(_JGE_K, _X32_BIT)] if x32 else []
    checks += [(_JEQ_K, n) for n in numbers.values()]
    # after the arch check and the load of the number: the checks, then ALLOW, then REFUSE
    body.append((_JEQ_K, 1, 0, arch))  # our arch: skip the refusal below; else refuse
    body.append((_RET_K, 0, 0, refuse))
    body.append((_LD_W_ABS, 0, 0, 0))  # seccomp_data.nr
    for i, (code, k) in enumerate(checks):
        to_refuse = len(checks) - i  # over the remaining checks and ALLOW
        body.append((code, to_refuse, 0, k))
    body += [(_RET_K, 0, 0, _RET_ALLOW), (_RET_K, 0, 0, refuse)]
    return b"".join(struct.pack("=HBBI", *insn) for insn in body)


def install() -> None:
    """Install the filter on this process and all it starts (no new privileges must already be set).

    Raises OSError where the architecture is unknown or the kernel refuses.
    """
    machine = platform.machine()
    if machine not in _ARCHES:
        raise OSError(errno.ENOSYS, f"no seccomp filter for the {machine} architecture")
    code = program(machine)
    buffer = ctypes.create_string_buffer(code, len(code))
    prog = _Filter(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc().prctl(PR_SET_SECCOMP, ctypes.c_ulong(SECCOMP_MODE_FILTER), ctypes.byref(prog), 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"the kernel refused the seccomp filter: {errno.errorcode.get(err, err)}")
