#!/usr/bin/env bash
# Plimsoll from any CI system with curl, against a running Plimsoll service (docker-compose.yml here starts
# one; `npm start` in a checkout of Plimsoll does too). Nothing is installed on the CI runner but curl and,
# for the batch, jq.
#
#   PLIMSOLL_URL=http://plimsoll:8080 ./curl.sh          # ./Dockerfile with its .dockerignore
#   PLIMSOLL_URL=http://plimsoll:8080 ./curl.sh batch    # every Dockerfile in the tree, in one request
#
# With failOn=error the service answers 422 when a finding is an error, and --fail-with-body makes curl
# print the report and exit non-zero (22), which fails the CI step.
set -euo pipefail

PLIMSOLL_URL="${PLIMSOLL_URL:-http://127.0.0.1:8080}"

single() {
  # The dockerfile part's file name is the path the report names; other file parts are build-context files.
  local parts=(-F dockerfile=@Dockerfile)
  if [[ -f .dockerignore ]]; then parts+=(-F .dockerignore=@.dockerignore); fi
  curl --fail-with-body -sS "${parts[@]}" "$PLIMSOLL_URL/v1/evaluate?failOn=error&format=text"
}

batch() {
  # Dockerfile, Containerfile, Dockerfile.* and *.Dockerfile, but not Dockerfile.dockerignore and the like.
  local found=()
  while IFS= read -r path; do found+=("$path"); done < <(
    find . \( -name .git -o -name node_modules \) -prune -o -type f \
      \( -name Dockerfile -o -name Containerfile -o -name 'Dockerfile.*' -o -name '*.Dockerfile' \) \
      ! -name '*.dockerignore' -print | sed 's|^\./||' | sort
  )
  if [[ ${#found[@]} -eq 0 ]]; then
    echo "no Dockerfile found" >&2
    return 0
  fi
  # {"files": [{"path", "dockerfile", "files": {".dockerignore": …}}]}: each with the .dockerignore beside it.
  local path dir
  for path in "${found[@]}"; do
    dir=$(dirname "$path")
    if [[ -f "$dir/.dockerignore" ]]; then
      jq -n --arg path "$path" --rawfile dockerfile "$path" --rawfile ignore "$dir/.dockerignore" \
        '{path: $path, dockerfile: $dockerfile, files: {".dockerignore": $ignore}}'
    else
      jq -n --arg path "$path" --rawfile dockerfile "$path" '{path: $path, dockerfile: $dockerfile}'
    fi
  done | jq -s '{files: .}' |
    curl --fail-with-body -sS -H 'content-type: application/json' --data-binary @- \
      "$PLIMSOLL_URL/v1/evaluate/batch?failOn=error&format=text"
}

case "${1:-single}" in
  single) single ;;
  batch) batch ;;
  *) echo "usage: $0 [single|batch]" >&2; exit 2 ;;
esac
