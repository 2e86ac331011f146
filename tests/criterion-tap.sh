#!/bin/sh
# Run a Criterion program with TAP on stdout for the automake TAP driver.
exec "$1" --tap=- --always-succeed 2>&1 >/dev/null
