import ArgumentParser
import PalisadeDiff
import PalisadeHTML
import PalisadeNetwork
import PalisadeReport
import PalisadeRules

/// `palisade report [INPUT] --out report.html`: one self-contained HTML page with the network diagram, findings,
/// egress and ingress tables, address plan and inventory.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write a self-contained HTML report: diagram, findings, reach, address plan, inventory.")

    @Argument(help: "A Palisade spec (.yaml), an ARM template or a resource export (.json); omit for the built-in default.")
    var input: String?

    @Option(name: .outputNames, help: "Write the HTML to this file, default standard output (`--out` is accepted too).")
    var out: String?

    @Flag(help: "Leave out the egress and ingress tables (faster for very large estates).")
    var noReach = false

    @Flag(help: "Spell out every source, resource and subnet even in a large estate (by default, past 60 sources or 12 VNets, equal answers share a row, long tables say where the rest is, and VNets without a firewall or gateway are drawn as tiles).")
    var full = false

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var engineOptions: EngineOptions

    @Flag(help: "Do not compute verified fixes (faster on large estates).")
    var noFixes = false

    @Option(help: "Check fixes for at most this many findings (each check re-runs every rule on a copy of the whole environment).")
    var fixLimit = FixReview.defaultLimit

    func run() throws {
        let loaded = try LoadedInput.load(input, options: inputOptions)
        let model = try engineOptions.compile(loaded)
        let plan = PlanReport(graph: loaded.graph, input: loaded.label, name: loaded.name, location: loaded.location,
                              diagnostics: loaded.diagnostics.items)
        var findings = Checker.run(loaded.graph, intents: loaded.design?.intents ?? [],
                                   declaredEgress: loaded.design?.declaredEgress ?? .undeclared)
        if !noFixes {
            let spec = loaded.design != nil ? input.flatMap { path in
                (try? String(contentsOfFile: path, encoding: .utf8)).map { SpecSource(text: $0, file: path) }
            } : nil
            findings = FixReview(graph: loaded.graph, intents: loaded.design?.intents ?? [],
                                 declaredEgress: loaded.design?.declaredEgress ?? .undeclared, findings: findings, spec: spec).attachFixes(limit: max(0, fixLimit))
        }
        let reach = noReach ? nil : model.reach()
        var report = HTMLReport(graph: loaded.graph, findings: findings, reach: reach, plan: plan,
                                summary: reach.map { $0.summary(FlowFolder(model: model)) })
        report.detail = full ? .full : .automatic
        try Output.write(report.render(), to: out)
    }
}
