import ArgumentParser
import PalisadeReport

/// `palisade plan [INPUT]`: the address plan and the resource inventory.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Print the address plan and the resource inventory (the default command).")

    @Argument(help: "A Palisade spec (.yaml), an ARM template or a resource export (.json); omit for the built-in default.")
    var input: String?

    @OptionGroup var inputOptions: InputOptions

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    @Option(name: .outputNames, help: "Write to this file instead of standard output (`--out` is accepted too).")
    var output: String?

    func run() throws {
        let loaded = try LoadedInput.load(input, options: inputOptions)
        let report = PlanReport(graph: loaded.graph, input: loaded.label, name: loaded.name, location: loaded.location,
                                diagnostics: loaded.diagnostics.items)
        let text = switch format {
        case .text: report.renderText()
        case .json: try JSONOutput.render(report)
        }
        try Output.write(text, to: output)
    }
}
