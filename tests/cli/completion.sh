#!/bin/bash
# crowd completion: the bash script, sourced and driven as bash drives it (COMP_WORDS,
# COMP_CWORD, then the completion function, which answers through compgen), completes
# commands, options, the function names and their -test twins, option values and profile
# names; the zsh and fish scripts parse (checked when those shells are installed).
# Usage: completion.sh CROWD
set -u
crowd=$1
work=$(mktemp -d)
# shellcheck source=../support/checks.sh
. "$(dirname "$0")/../support/checks.sh"
trap 'rm -rf "$work"' EXIT

run 0 "crowd completion bash" -- "$crowd" completion bash
cp "$work/out" "$work/crowd.bash"
bash -n "$work/crowd.bash"; check $? "the bash script parses"
run 2 "crowd completion of an unknown shell" -- "$crowd" completion tcsh
has err "^crowd: completion: SHELL: " "the shell is refused, named"

# complete WORD...: what bash offers for the last word of "WORD..." (one per line, sorted).
# shellcheck disable=SC1091
source "$work/crowd.bash"
complete() {
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _crowd
    printf '%s\n' "${COMPREPLY[@]}" | sort
}
expect() {  # expect NAME EXPECTED WORD...
    local name=$1 expected=$2
    shift 2
    local got
    got=$(complete "$@" | tr '\n' ' ')
    [ "$got" = "$expected" ]; check $? "$name"
    [ "$got" = "$expected" ] || echo "  completing '$*': got '$got', expected '$expected'"
}

expect "crowd put sent<TAB>" "sentiment-analysis sentiment-analysis-test " crowd put sent
expect "crowd get --prof<TAB>" "--profile " crowd get --prof
expect "crowd --prof<TAB>, before the command" "--profile " crowd --prof
expect "the commands" "batch completion config delete functions get put sign wait " crowd ""
expect "crowd wa<TAB>" "wait " crowd wa
expect "a task name is not completed" " " crowd get sentiment-analysis ""
expect "the function after an option's value" "image-categorization image-categorization-test image-contains image-contains-test image-similarity image-similarity-test " \
    crowd get --region us-east-1 ima
expect "--output's values" "json text " crowd get --output ""
expect "--output=<TAB>" "text " crowd get --output = t
expect "--print's values" "signature signed-request string-to-sign " crowd sign --print s
expect "the shells" "bash fish zsh " crowd completion ""
expect "batch's own options" "--delete-after " crowd batch --del
expect "an option another command has is not offered" " " crowd get --del

# Profile names from the config file ([default], [profile NAME]) and the credentials file
# ([NAME]); sso-session and services sections are not profiles.
printf '[default]\nregion = us-east-1\n[profile alpha]\n[ profile  spaced ]\n[sso-session corp]\n[services local]\n' > "$work/config"
printf '[beta]\naws_access_key_id = x\n' > "$work/credentials"
export AWS_CONFIG_FILE="$work/config" AWS_SHARED_CREDENTIALS_FILE="$work/credentials"
expect "the profiles of both files" "alpha beta default spaced " crowd get --profile ""
expect "crowd --profile a<TAB>" "alpha " crowd --profile a
expect "--profile=<TAB>" "alpha beta default spaced " crowd config --profile = ""
export AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
expect "no profile files: nothing, and no error" " " crowd get --profile ""

# zsh and fish: their scripts parse, where the shells are here.
for shell in zsh fish; do
    run 0 "crowd completion $shell" -- "$crowd" completion "$shell"
    cp "$work/out" "$work/crowd.$shell"
    if command -v "$shell" > /dev/null; then
        if [ "$shell" = zsh ]; then zsh -n "$work/crowd.zsh"; else fish --no-execute "$work/crowd.fish"; fi
        check $? "the $shell script parses"
    else
        echo "($shell is not installed: its script is made, not parsed)"
    fi
done
# fish answers `complete -C` as it would at a prompt.
if command -v fish > /dev/null; then
    export AWS_CONFIG_FILE="$work/config" AWS_SHARED_CREDENTIALS_FILE="$work/credentials"
    run 0 "fish: crowd put sent<TAB>" -- fish --no-config -c "source $work/crowd.fish; complete -C 'crowd put sent'"
    [ "$(cut -f1 "$work/out" | tr '\n' ' ')" = "sentiment-analysis sentiment-analysis-test " ]; check $? "fish completes the function"
    run 0 "fish: crowd get --profile <TAB>" -- fish --no-config -c "source $work/crowd.fish; complete -C 'crowd get --profile '"
    [ "$(cut -f1 "$work/out" | sort | tr '\n' ' ')" = "alpha beta default spaced " ]; check $? "fish completes the profiles"
fi
finish "crowd completion"
