"""Owner group and mode of the serving files: what the deployment chose, never wider.

A role's file gets the ``group`` and ``mode`` of its role in roles.toml; without them, those of
the file it replaces (write and world bits dropped); a new file gets the folder's group and
0440. A deployment grants a role by putting its people in the file's group (docs/analysts.md).
"""

from __future__ import annotations

import grp
import os
from pathlib import Path

from serving.roles import Role

DEFAULT_MODE = 0o440  # owner and group read: the group is how a deployment grants a role


class PublishPermissionError(PermissionError):
    """A serving file cannot be given the group roles.toml (or the old file) asks for."""


def file_permissions(final: Path, role: Role | None) -> tuple[int, int | None]:
    """(mode, gid or None) for a serving file: configured, else kept, never wider."""
    try:
        old = final.stat()
    except FileNotFoundError:
        old = None
    if role is not None and role.mode is not None:
        mode = role.mode
    elif old is not None:
        mode = old.st_mode & DEFAULT_MODE  # keeps 0400 or 0440; drops write and world bits
    else:
        mode = DEFAULT_MODE
    gid = old.st_gid if old is not None else None
    if role is not None and role.group:
        try:
            gid = grp.getgrnam(role.group).gr_gid
        except KeyError:
            raise PublishPermissionError(
                f"roles.toml: [roles.{role.name}] group = {role.group!r} is not a group on this "
                "machine: create it (groupadd) or fix the name."
            ) from None
    return mode, gid


def set_permissions(tmp: Path, final: Path, role: Role | None) -> None:
    mode, gid = file_permissions(final, role)
    if gid is not None and gid != tmp.stat().st_gid:
        try:
            os.chown(tmp, -1, gid)
        except PermissionError:
            name = _group_name(gid)
            raise PublishPermissionError(
                f"Cannot give {final.name} the group {name!r}: the user running Forecourt is "
                f"not a member. Add it to {name!r} (usermod -aG {name} <user>) or change the "
                "role's group in roles.toml."
            ) from None
    os.chmod(tmp, mode)  # a serving copy is never written in place


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)
