"""Sub-commands of the ``outlook`` CLI; importing a module registers its commands."""

from outlook.commands import bench, classify, docs, pipeline, serve, status, synth, trends  # noqa: F401
