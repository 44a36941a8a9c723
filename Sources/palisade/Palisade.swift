import ArgumentParser
import Foundation

/// The `palisade` command: a thin front end over the libraries. Exit codes: 0 clean, 1 findings at or above
/// the threshold, 2 invalid input (including bad flags), 3 internal error, 4 an audit that could not read everything.
@main
struct Palisade: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "palisade",
        abstract: "Design, prove and render network-isolated Azure Machine Learning environments, offline.",
        discussion: "With no subcommand, runs `plan` on the built-in default environment.",
        version: Palisade.version,
        subcommands: [PlanCommand.self, CheckCommand.self, TraceCommand.self, ReachCommand.self, DiffCommand.self, RulesCommand.self, ExplainCommand.self, ExpandCommand.self, RenderCommand.self, ReportCommand.self, HostsCommand.self, VpnCertsCommand.self, InitCommand.self, AuditCommand.self],
        defaultSubcommand: PlanCommand.self
    )

    /// The version `--version` prints (also the SARIF driver's `semanticVersion`).
    static let version = "0.1.0"

    static func main() {
        // A closed pipe (`palisade … | head`) becomes a checked write error (exit 2), never death by SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let message = SubcommandSuggestion.message(for: arguments, subcommands: configuration.subcommands.map { $0._commandName }) {
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            Output.message((error.description + "\n"))
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success || code.rawValue == 1 || code.rawValue == 4 {
                exit(withError: error)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty { Output.message((message + "\n")) }
            // ArgumentParser reports bad flags as 64 (EX_USAGE); our contract says invalid input is 2.
            Foundation.exit(code == .validationFailure || error is ValidationError ? 2 : (code.rawValue == 2 ? 2 : 3))
        }
    }
}

/// Invalid user input that has already been explained by diagnostics (exit 2).
struct InputError: Error, CustomStringConvertible {
    var description: String
}
