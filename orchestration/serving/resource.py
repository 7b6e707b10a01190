"""The serving layer's settings as a Dagster resource: the roles file and the PII salt."""

from __future__ import annotations

import dagster as dg


class ServingResource(dg.ConfigurableResource):
    """Where the roles come from and the salt hashed identifiers use.

    ``pii_salt`` is a secret: set FORECOURT_PII_SALT (the Definitions pass it as an EnvVar).
    Without it a random salt is generated once per FORECOURT_HOME (see ``pii_salt``).
    """

    pii_salt: str | None = None
    roles_file: str | None = None  # default: FORECOURT_ROLES, else the packaged roles.toml
