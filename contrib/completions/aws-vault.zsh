#compdef aws-vault
# zsh completion for aws-vault (spec §11.4).
# Put this file in a directory on $fpath as `_aws-vault`, or `source` it after compinit.
# `aws-vault --completion-script-zsh` prints this file.
#
# The first word completes from `aws-vault --completion-bash`. The second word of exec, login,
# remove, rm and rotate completes profile names read from the config file (unlike upstream this
# honours AWS_CONFIG_FILE and offers `default`). Other words complete flags the same way as bash.

_aws_vault_profiles() {
    local config="${AWS_CONFIG_FILE:-$HOME/.aws/config}"
    [[ -r "$config" ]] || return 0
    sed -n -e 's/^[[:space:]]*\[profile[[:space:]]\{1,\}\([^]]*\)\].*/\1/p' \
           -e 's/^[[:space:]]*\[\(default\)\].*/\1/p' "$config" 2>/dev/null
}

_aws_vault_complete() {
    local -a candidates
    if (( CURRENT == 2 )); then
        candidates=("${(@f)$(aws-vault --completion-bash 2>/dev/null)}")
    elif (( CURRENT == 3 )) && [[ "${words[2]}" == (exec|login|remove|rm|rotate) && "${words[3]}" != -* ]]; then
        candidates=("${(@f)$(_aws_vault_profiles)}")
    else
        candidates=("${(@f)$(aws-vault --completion-bash "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    fi
    candidates=(${candidates:#})
    (( ${#candidates} )) && compadd -Q -- "${(@)candidates}"
}

if [[ "${funcstack[1]}" == "_aws-vault" ]]; then
    _aws_vault_complete "$@"
else
    compdef _aws_vault_complete aws-vault
fi
