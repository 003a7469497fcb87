#!/usr/bin/env bash
# Builds every image docker-compose.yml runs that is ours:
#   floe/producer-service:<version>, floe/query-service:<version>, floe/catalog-service:<version>,
#   floe/console:<version>
#                                                                   (quarkus-container-image-jib)
#   floe/flink-job:<version>                                        (deploy/flink/Dockerfile)
# Needs a Docker engine. Usage: deploy/build-images.sh [extra Maven arguments, e.g. -o]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n1)"
[ -n "$version" ] || { echo "cannot read the project version from pom.xml" >&2; exit 1; }
command -v docker > /dev/null || { echo "docker is needed to build the images" >&2; exit 1; }

# One reactor build: the jars, and the Quarkus images (jib, into the local Docker engine).
./mvnw -B -DskipTests \
  -Dquarkus.container-image.build=true \
  -Dquarkus.container-image.group=floe \
  -Dquarkus.container-image.tag="$version" \
  "$@" package

# The Flink image's build context holds the job jar only (not all of flink-job/target).
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
cp "flink-job/target/flink-job-$version.jar" "$context/flink-job.jar"
docker build --file deploy/flink/Dockerfile --tag "floe/flink-job:$version" "$context"

echo "built floe/producer-service:$version floe/query-service:$version floe/catalog-service:$version floe/console:$version floe/flink-job:$version"
