"""Remove what a worker left in its sandbox: files in the shared working folder and System V IPC objects.

Run by the fork server's cleaner, as the student's user, between two workers
(see :mod:`grader.runner.forkserver`): the files and IPC objects are the
student's own, so that user may remove them, and nothing else.
"""

from __future__ import annotations

import os
import stat

from grader.runner.supervisor import libc

IPC_RMID = 0
_IPC_TABLES = {"shm": ("shmctl", (IPC_RMID, None)), "sem": ("semctl", (0, IPC_RMID)),
               "msg": ("msgctl", (IPC_RMID, None))}


def wipe(folder: str) -> None:
    """Remove everything inside ``folder`` (the folder itself stays), whatever the permissions left on it."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                os.chmod(entry.path, stat.S_IRWXU)
                wipe(entry.path)
                os.rmdir(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue


def ipc_objects() -> dict[str, list[int]]:
    """The ids of the System V IPC objects (``shm``, ``sem``, ``msg``) of this IPC namespace, where there are any."""
    found = {}
    for table in _IPC_TABLES:
        try:
            with open(f"/proc/sysvipc/{table}", encoding="ascii") as listing:
                ids = [int(line.split()[1]) for line in listing.readlines()[1:] if line.split()]
        except (OSError, ValueError, IndexError):
            continue
        if ids:
            found[table] = ids
    return found


def remove_ipc() -> None:
    """Remove every System V shared memory segment, semaphore set and message queue this user may remove."""
    for table, ids in ipc_objects().items():
        call, args = _IPC_TABLES[table]
        for ident in ids:
            getattr(libc(), call)(ident, *args)
