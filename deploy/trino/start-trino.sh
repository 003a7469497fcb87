#!/usr/bin/env bash
# Entry point of the Trino containers (coordinator and workers) in docker compose.
#
# The Iceberg catalog is infra/trino/etc/catalog/iceberg.properties, mounted unchanged at
# /etc/floe/trino/catalog/. The GCS variants mount a storage fragment (infra/trino/gcs/) at
# /etc/floe/trino/catalog.d/<catalog>-*.properties; Trino has no include mechanism, so the two are
# concatenated here into a scratch catalog directory. Each file keeps a single copy in the repository and
# its ${ENV:NAME} placeholders are filled by Trino itself from the container's environment.
# Catalogs are managed dynamically (infra/trino/etc/config.properties): the coordinator reads them from
# the directory named by FLOE_TRINO_CATALOG_DIR in etc/catalog-store.properties and hands them to
# the workers.
#
# Bash builtins only (no sed, cat, cp, mkdir): the trinodb/trino image is a minimal one and promises
# bash and its own launcher, nothing else. The scratch directory is a tmpfs that compose mounts, empty
# at every start (deploy/src/test checks both).
set -euo pipefail

source_dir=/etc/floe/trino/catalog
fragment_dir=/etc/floe/trino/catalog.d
catalog_dir="${FLOE_TRINO_CATALOG_DIR:-/tmp/floe-trino-catalog}"

if [[ ! -d "$catalog_dir" || ! -w "$catalog_dir" ]]; then
  echo "start-trino.sh: $catalog_dir must be a writable directory (a tmpfs in docker-compose.yml)" >&2
  exit 1
fi

# copy_lines <from> <admin>: prints the file's lines; with admin=1 the read-only security line becomes
# allow-all (the admin catalog)
copy_lines() {
  local line
  while IFS= read -r line || [[ -n "$line" ]]; do
    if [[ "$2" == 1 && "$line" == "iceberg.security=read-only" ]]; then
      line="iceberg.security=allow-all"
    fi
    printf '%s\n' "$line"
  done < "$1"
}

for source in "$source_dir"/*.properties; do
  file="${source##*/}"
  name="${file%.properties}"
  {
    copy_lines "$source" 0
    for fragment in "$fragment_dir/$name"-*.properties; do
      if [[ -e "$fragment" ]]; then
        printf '\n# from %s\n' "${fragment##*/}"
        copy_lines "$fragment" 0
      fi
    done
  } > "$catalog_dir/$name.properties"
done

# The admin catalog: the same lake with writes allowed (the lake's catalog is read-only for every user;
# infra/trino/etc/catalog/iceberg.properties says why). The embedded stack derives it the same way.
copy_lines "$catalog_dir/iceberg.properties" 1 > "$catalog_dir/iceberg_admin.properties"

# FLOE_TRINO_CATALOG_TYPE=rest: the lake's catalog through the catalog-service (infra/trino/rest, mounted at
# /etc/floe/trino/rest), with the same storage fragments; the admin catalog above stays on the JDBC catalog,
# since writes through the REST API are closed. The token line names the variable, Trino fills it in.
catalog_type="${FLOE_TRINO_CATALOG_TYPE:-jdbc}"
if [[ "$catalog_type" == rest ]]; then
  {
    copy_lines /etc/floe/trino/rest/iceberg.properties 0
    for fragment in "$fragment_dir"/iceberg-*.properties; do
      if [[ -e "$fragment" ]]; then
        printf '\n# from %s\n' "${fragment##*/}"
        copy_lines "$fragment" 0
      fi
    done
    if [[ -n "${FLOE_CATALOG_API_TOKEN:-}" ]]; then
      printf '%s\n' 'iceberg.rest-catalog.security=OAUTH2' 'iceberg.rest-catalog.oauth2.token=${ENV:FLOE_CATALOG_API_TOKEN}'
    fi
  } > "$catalog_dir/iceberg.properties"
elif [[ "$catalog_type" != jdbc ]]; then
  echo "start-trino.sh: FLOE_TRINO_CATALOG_TYPE must be jdbc or rest, got '$catalog_type'" >&2
  exit 1
fi

# run-trino adds -Dnode.id=$HOSTNAME when node.properties does not match the pattern `node.id` anywhere,
# comments included (every worker replica; infra/trino/worker/node.properties).
exec /usr/lib/trino/bin/run-trino
