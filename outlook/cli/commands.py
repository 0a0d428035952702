"""Sub-commands of the ``outlook`` CLI; importing a module registers its commands."""

from outlook.cli import (  # noqa: F401
    bench,
    classify,
    docs,
    export,
    pipeline,
    requirements,
    serve,
    skills,
    status,
    synth,
    trends,
)
