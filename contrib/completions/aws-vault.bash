# bash completion for aws-vault (spec §11.4).
# Install as /usr/share/bash-completion/completions/aws-vault, or `source` it from ~/.bashrc.
# `aws-vault --completion-script-bash` prints this file.
#
# Candidates come from `aws-vault --completion-bash <words so far>`. They are filtered by plain
# prefix comparison rather than `compgen -W`, because compgen expands its word list (a profile
# name such as `$(cmd)` would run cmd). After a `--` word, the command that follows is completed
# as a command of its own.

_aws-vault_bash_autocomplete() {
    local cur opts opt i
    COMPREPLY=()
    cur="${COMP_WORDS[COMP_CWORD]}"
    for (( i = 1; i < COMP_CWORD; i++ )); do
        if [[ "${COMP_WORDS[i]}" == "--" ]]; then
            if declare -F _command_offset >/dev/null; then
                _command_offset $(( i + 1 ))
            fi
            return 0
        fi
    done
    opts="$(aws-vault --completion-bash "${COMP_WORDS[@]:1:$COMP_CWORD}" 2>/dev/null)"
    while IFS= read -r opt; do
        if [[ -n "$opt" && "$opt" == "$cur"* ]]; then
            COMPREPLY+=("$opt")
        fi
    done <<< "$opts"
    return 0
}

complete -F _aws-vault_bash_autocomplete -o default aws-vault
