import ArgumentParser
import Foundation
import PalisadeReport
import PalisadeRules

/// Report formats of `check`.
enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif
}

extension FindingSeverity: ExpressibleByArgument {}

/// `palisade check [INPUT]`: run the rule catalog; exit 1 when a finding reaches the threshold.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Run the rule catalog and report findings (exit 1 at or above --severity).")

    @Argument(help: "A Palisade spec (.yaml), an ARM template or a resource export (.json); omit for the built-in default.")
    var input: String?

    @OptionGroup var inputOptions: InputOptions

    @Option(help: "Output format.")
    var format: CheckFormat = .text

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "Lowest severity that fails the check.")
    var severity: FindingSeverity = .error

    func run() throws {
        let loaded = try LoadedInput.load(input, options: inputOptions)
        let findings = Checker.run(loaded.graph)
        let report = CheckReport(input: loaded.label, findings: findings)
        let text = switch format {
        case .text: report.renderText()
        case .json: try JSONOutput.render(report)
        case .sarif: try JSONOutput.render(SARIFLog(findings: findings))
        }
        try Output.write(text, to: output)
        if Checker.fails(findings, threshold: severity) { throw ExitCode(1) }
    }
}

/// `palisade rules`: list the catalog.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List the rule catalog.")

    @Flag(help: "Print docs/rules.md instead of the list.")
    var markdown = false

    func run() throws {
        if markdown {
            try Output.write(RuleDocumentation.markdown(), to: nil)
            return
        }
        let lines = RuleCatalog.all.map({ $0.description }).map { rule in
            "\(rule.id.padding(toLength: 44, withPad: " ", startingAt: 0)) \(rule.defaultSeverity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(rule.kind.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) \(rule.title)"
        }
        try Output.write(lines.joined(separator: "\n"), to: nil)
    }
}

/// `palisade explain ID`: one rule with its examples.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Print one rule with its examples.")

    @Argument(help: "A rule ID (see `palisade rules`).")
    var id: String

    func run() throws {
        guard let rule = RuleCatalog.rule(id) else {
            throw InputError(description: "error: no rule '\(id)'; run `palisade rules` for the list")
        }
        try Output.write(RuleDocumentation.explain(rule.description), to: nil)
    }
}
