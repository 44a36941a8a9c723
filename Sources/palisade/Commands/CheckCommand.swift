import ArgumentParser
import Foundation
import PalisadeDiff
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

    @Flag(help: ArgumentHelp(
        "Apply the verified fixes: for a spec, write its verified edits back to the spec; for other inputs, print the code to change.",
        discussion: """
        Every fix is applied to a copy of the environment and checked again before it is shown: the finding must go away and \
        nothing else may get worse (no new finding, no intent broken, no flow opened beyond the fix's purpose). With --fix a \
        spec input is rewritten in place, all at once or not at all, keeping its comments and layout; templates, exports, \
        Terraform and Bicep are never written.
        """))
    var fix = false

    @Flag(help: "Do not compute verified fixes (faster on large estates).")
    var noFixes = false

    @Option(help: "Check fixes for at most this many findings (each check re-runs every rule on a copy of the whole environment).")
    var fixLimit = FixReview.defaultLimit

    func run() throws {
        let loaded = try LoadedInput.load(input, options: inputOptions)
        var declared = loaded.design?.intents ?? []
        if let intents {
            let (fileIntents, diagnostics) = SpecLoader().intents(file: intents)
            try Output.report(diagnostics)
            guard let fileIntents else { throw InputError(description: "error: '\(intents)' holds no valid intents") }
            declared += fileIntents
        }
        var findings = Checker.run(loaded.graph, intents: declared,
                                   declaredEgress: loaded.design?.declaredEgress ?? .undeclared)
        var specSource: SpecSource?
        if loaded.design != nil, let input, input != "-" {
            do { specSource = SpecSource(text: try String(contentsOfFile: input, encoding: .utf8), file: input) }
            catch { throw InputError(description: "error: cannot read '\(input)': \(Output.plain(error))") }
        }
        var review: FixReview?
        if fix || !noFixes {
            review = FixReview(graph: loaded.graph, intents: declared, declaredEgress: loaded.design?.declaredEgress ?? .undeclared,
                               findings: findings, spec: specSource)
            findings = review!.withTextReplacements(review!.attachFixes(limit: max(0, fixLimit)),
                                                    form: Self.fixForm(input: input, isSpec: loaded.design != nil))
        }
        let form = Self.fixForm(input: input, isSpec: loaded.design != nil)
        let report = CheckReport(input: loaded.label, findings: findings)
        let cwd = FileManager.default.currentDirectoryPath
        let root = sourceRoot.map { $0.hasPrefix("/") ? $0 : cwd + "/" + $0 } ?? SourceRoot.gitTopLevel(from: cwd)
        let text = switch format {
        case .text: report.renderText(fixForm: form)
        case .json: try JSONOutput.render(report)
        case .sarif:
            try JSONOutput.render(SARIFLog(findings: findings, sourceRoot: root, workingDirectory: cwd))
        }
        try Output.write(text, to: output)
        if fix, let review { try applyFixes(findings, review: review, spec: specSource, form: form) }
        if Checker.fails(findings, threshold: severity) { throw ExitCode(1) }
    }

    /// `--fix`: writes a spec's verified edits back in one atomic write after checking them together; for other
    /// inputs prints the code to change to standard error and writes nothing.
    private func applyFixes(_ findings: [Finding], review: FixReview, spec: SpecSource?, form: FixForm) throws {
        let verified = findings.filter { $0.verifiedFix?.status == .verified }
        guard let spec else {
            var out = verified.isEmpty ? "palisade: no verified fixes; nothing to change\n"
                : "palisade: \(verified.count) verified fix(es); change the \(form == .terraform ? "Terraform" : form == .bicep ? "Bicep" : "template") as follows (nothing was written):\n"
            for finding in verified {
                out += "\n\(finding.subject.name): \(finding.verifiedFix?.summary ?? "")\n"
                out += (finding.verifiedFix?.snippet(form) ?? "(no code change in this form)") + "\n"
            }
            Output.message(out)
            return
        }
        guard let (text, patches) = try Self.patched(spec.text, findings) else {
            Output.message("palisade: no verified spec edits; '\(spec.file)' is unchanged\n")
            return
        }
        if let problem = review.combinedSpecProblem(text) {
            throw InputError(description: "error: the verified spec edits were not written to '\(spec.file)': \(problem)")
        }
        try Output.atomicWrite(Array(text.utf8), to: spec.file)
        Output.message("palisade: wrote \(patches.count) verified spec edit(s) to '\(spec.file)':\n"
                       + patches.map { "  \($0.key): \($0.value)\n" }.joined())
    }

    private static func patched(_ text: String, _ findings: [Finding]) throws -> (String, [SpecPatch])? {
        do { return try FixReview.patchedSpec(text, fixes: findings) }
        catch { throw InputError(description: "error: the spec edits no longer apply: \(error); nothing was written") }
    }

    /// The language fixes are shown in: the input's own.
    static func fixForm(input: String?, isSpec: Bool) -> FixForm {
        if isSpec { return .spec }
        let lowered = input?.lowercased() ?? ""
        if lowered.hasSuffix(".bicep") || lowered.hasSuffix(".bicepparam") { return .bicep }
        if lowered.hasSuffix(".tf") || lowered.hasSuffix(".tf.json") || lowered.hasSuffix(".tfplan.json") { return .terraform }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: input ?? "", isDirectory: &isDirectory), isDirectory.boolValue { return .terraform }
        return .arm
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
