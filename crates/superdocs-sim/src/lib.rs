//! superdocs-sim: a local SuperDocs-compatible server (see ../../shared/superdocs-api.md).
