import ArgumentParser
import Foundation
import PalisadeModel
import PalisadeReport
import PalisadeRules
import PalisadeSpec

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

    @Option(name: .outputNames, help: "Write to this file instead of standard output (`--out` is accepted too).")
    var output: String?

    @Option(help: "Lowest severity that fails the check.")
    var severity: FindingSeverity = .error

    @Option(help: "A YAML file of intents to prove besides the built-in ones (schema/palisade-intents.schema.json).")
    var intents: String?
    @Option(help: ArgumentHelp("SARIF: the directory result locations are relative to (%SRCROOT%).",
                               discussion: "Default: the top of the git repository containing the current directory, else the current directory."))
    var sourceRoot: String?

    func run() throws {
        let loaded = try LoadedInput.load(input, options: inputOptions)
        var declared = loaded.design?.intents ?? []
        if let intents {
            let (fileIntents, diagnostics) = SpecLoader().intents(file: intents)
            try Output.report(diagnostics)
            guard let fileIntents else { throw InputError(description: "error: '\(intents)' holds no valid intents") }
            declared += fileIntents
        }
        let findings = Checker.run(loaded.graph, intents: declared,
                                   declaredEgress: loaded.design?.declaredEgress ?? .undeclared)
        let report = CheckReport(input: loaded.label, findings: findings)
        let cwd = FileManager.default.currentDirectoryPath
        let root = sourceRoot.map { $0.hasPrefix("/") ? $0 : cwd + "/" + $0 } ?? SourceRoot.gitTopLevel(from: cwd)
        let text = switch format {
        case .text: report.renderText()
        case .json: try JSONOutput.render(report)
        case .sarif:
            try JSONOutput.render(SARIFLog(findings: findings, sourceRoot: root, workingDirectory: cwd))
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

/// Where SARIF locations are relative to.
enum SourceRoot {
    /// The git top level above `directory` (a `.git` directory or worktree file), else `directory`.
    static func gitTopLevel(from directory: String) -> String {
        var url = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(".git").path) { return url.path }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return directory }
            url = parent
        }
    }
}
