# fish completion for aws-vault (spec §11.4).
# Install as ~/.config/fish/completions/aws-vault.fish.
#
# Before a `--` token, candidates come from `aws-vault --completion-bash <tokens>`; after it, the
# remainder of the line is completed as a command of its own (e.g. `aws-vault exec p -- ls -<TAB>`).

if status is-interactive
    function __aws_vault_complete
        set -l previous (commandline -opc)
        set -l current (commandline -ct)
        set -l split (contains -i -- -- $previous)
        if test -n "$split"
            set -l rest (string escape -- $previous[(math $split + 1)..-1])
            complete --do-complete=(string join ' ' -- $rest $current)
            return
        end
        aws-vault --completion-bash $previous[2..-1] $current 2>/dev/null
    end

    complete -c aws-vault -f -a '(__aws_vault_complete)'
end
