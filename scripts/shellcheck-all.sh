#!/usr/bin/env bash
# Runs shellcheck on every shell script the repository tracks: *.sh files and files whose
# first line runs sh, bash or dash. Settings (follow sourced files, found beside the script)
# are in .shellcheckrc.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts=()
while IFS= read -r -d '' file; do
  [[ -f $file ]] || continue
  if [[ $file == *.sh ]] || head -n1 -- "$file" | grep -qE '^#!.*[/ ](ba|da)?sh( |$)'; then
    scripts+=("$file")
  fi
done < <(git ls-files -z)
shellcheck "${scripts[@]}"
