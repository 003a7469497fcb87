#!/bin/sh
# The compose lake's access check (service access-check in docker-compose.yml), run once before every
# service behind a published port. Published on loopback (FLOE_PUBLISH_ADDRESS unset or 127.0.0.1) the
# lake needs no credential; published beyond it, every door that reads or changes data needs one of the
# operator's own, never a default of the compose file. POSIX sh: the image is a minimal one.
set -u

address="${FLOE_PUBLISH_ADDRESS:-127.0.0.1}"
case "$address" in
  127.*|localhost|::1|"[::1]")
    echo "access-check: published on $address (loopback): no credential needed"
    exit 0
    ;;
esac

missing=""
require() {
  if [ -z "$2" ]; then
    missing="$missing $1"
  fi
}
require FLOE_PRODUCER_API_TOKEN "${FLOE_PRODUCER_API_TOKEN:-}"
require FLOE_QUERY_API_TOKEN "${FLOE_QUERY_API_TOKEN:-}"
require FLOE_CONSOLE_API_TOKEN "${FLOE_CONSOLE_API_TOKEN:-}"
require FLOE_CATALOG_API_TOKEN "${FLOE_CATALOG_API_TOKEN:-}"
require FLOE_GRAFANA_ADMIN_PASSWORD "${FLOE_GRAFANA_ADMIN_PASSWORD:-}"
require FLOE_TRINO_SHARED_SECRET "${FLOE_TRINO_SHARED_SECRET:-}"

if [ -n "$missing" ]; then
  echo "access-check: the lake is published on $address (FLOE_PUBLISH_ADDRESS), beyond loopback, and" \
    "refuses to start without credentials of your own. Set:$missing" >&2
  exit 1
fi
echo "access-check: published on $address with every credential set"
