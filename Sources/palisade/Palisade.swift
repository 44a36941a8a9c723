import ArgumentParser
import Foundation

/// The `palisade` command: a thin front end over the libraries. Exit codes: 0 clean, 1 findings at or above
/// the threshold, 2 invalid input (including bad flags), 3 internal error.
@main
struct Palisade: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "palisade",
        abstract: "Design, prove and render network-isolated Azure Machine Learning environments, offline.",
        discussion: "With no subcommand, runs `plan` on the built-in default environment.",
        subcommands: [PlanCommand.self, CheckCommand.self, TraceCommand.self, ReachCommand.self, DiffCommand.self, RulesCommand.self, ExplainCommand.self, ExpandCommand.self, RenderCommand.self, ReportCommand.self, HostsCommand.self, VpnCertsCommand.self, InitCommand.self],
        defaultSubcommand: PlanCommand.self
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success || code.rawValue == 1 {
                exit(withError: error)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            // ArgumentParser reports bad flags as 64 (EX_USAGE); our contract says invalid input is 2.
            Foundation.exit(code == .validationFailure || error is ValidationError ? 2 : (code.rawValue == 2 ? 2 : 3))
        }
    }
}

/// Invalid user input that has already been explained by diagnostics (exit 2).
struct InputError: Error, CustomStringConvertible {
    var description: String
}
