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
set -euo pipefail

source_dir=/etc/floe/trino/catalog
fragment_dir=/etc/floe/trino/catalog.d
catalog_dir="${FLOE_TRINO_CATALOG_DIR:-/tmp/floe-trino-catalog}"

mkdir -p "$catalog_dir"
rm -f "$catalog_dir"/*.properties
for source in "$source_dir"/*.properties; do
  name="$(basename "$source" .properties)"
  cp "$source" "$catalog_dir/$name.properties"
  for fragment in "$fragment_dir/$name"-*.properties; do
    if [ -e "$fragment" ]; then
      printf '\n# from %s\n' "$(basename "$fragment")" >> "$catalog_dir/$name.properties"
      cat "$fragment" >> "$catalog_dir/$name.properties"
    fi
  done
done

# The admin catalog: the same lake with writes allowed (the lake's catalog is read-only for every user;
# infra/trino/etc/catalog/iceberg.properties says why). The embedded stack derives it the same way.
sed 's/^iceberg\.security=read-only$/iceberg.security=allow-all/' \
  "$catalog_dir/iceberg.properties" > "$catalog_dir/iceberg_admin.properties"

# run-trino adds -Dnode.id=$HOSTNAME when node.properties has no node.id (every worker replica).
exec /usr/lib/trino/bin/run-trino
