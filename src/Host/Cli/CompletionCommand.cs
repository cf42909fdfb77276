using System.CommandLine;

namespace Affinsy.Host.Cli;

/// <summary>
/// <c>affinsy-connect completion bash|zsh|pwsh</c>: prints a shell completion script. Each script asks the
/// executable itself through System.CommandLine's <c>[suggest:N]</c> directive, so completions always match the
/// installed version's commands and options; no other tool (dotnet-suggest) is needed.
/// </summary>
internal static class CompletionCommand
{
    // The directive takes the command line without the executable's name and the cursor position within it.
    private const string Bash = """
        # affinsy-connect completion for bash: eval "$(affinsy-connect completion bash)"
        _affinsy_connect_complete() {
          local line="${COMP_LINE#*[[:space:]]}"
          local offset=$(( ${#COMP_LINE} - ${#line} ))
          local IFS=$'\n'
          COMPREPLY=( $(affinsy-connect "[suggest:$(( COMP_POINT - offset ))]" "$line" 2>/dev/null) )
        }
        complete -o default -F _affinsy_connect_complete affinsy-connect
        """;

    private const string Zsh = """
        # affinsy-connect completion for zsh: eval "$(affinsy-connect completion zsh)"
        _affinsy_connect_complete() {
          local line="${BUFFER#*[[:space:]]}"
          local offset=$(( ${#BUFFER} - ${#line} ))
          local -a suggestions
          suggestions=("${(@f)$(affinsy-connect "[suggest:$(( CURSOR - offset ))]" "$line" 2>/dev/null)}")
          compadd -a suggestions
        }
        compdef _affinsy_connect_complete affinsy-connect
        """;

    private const string Pwsh = """
        # affinsy-connect completion for PowerShell: affinsy-connect completion pwsh | Out-String | Invoke-Expression
        Register-ArgumentCompleter -Native -CommandName affinsy-connect -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            $text = $commandAst.ToString()
            $space = $text.IndexOf(' ')
            $line = if ($space -ge 0) { $text.Substring($space + 1) } else { '' }
            $position = [Math]::Max(0, $cursorPosition - $commandAst.Extent.StartOffset - ($text.Length - $line.Length))
            affinsy-connect "[suggest:$position]" "$line" 2>$null | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }
        """;

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or pwsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh", "pwsh");
        var command = new Command("completion", "Print a shell completion script (eval it in your shell's profile).") { shell };
        command.SetAction(parse =>
        {
            Console.Out.WriteLine(parse.GetValue(shell) switch
            {
                "bash" => Bash,
                "zsh" => Zsh,
                _ => Pwsh,
            });
            return 0;
        });
        return command;
    }
}
