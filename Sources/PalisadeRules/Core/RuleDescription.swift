/// Everything known about a rule, used for documentation, SARIF metadata and tests alike.
public struct RuleDescription: Sendable {
    /// Stable snake_case ID, never reused.
    public var id: String
    /// Title Case name.
    public var title: String
    /// Kind.
    public var kind: RuleKind
    /// Default severity.
    public var defaultSeverity: FindingSeverity
    /// Why it matters.
    public var rationale: String
    /// The note or doc it comes from, e.g. Microsoft Learn URLs, docs/semantics.md anchors or a peer tool's public rule ID (never our internal notes).
    public var source: String
    /// How to fix what it flags.
    public var fix: String
    /// Inputs that must produce no finding from this rule.
    public var passingExamples: [RuleExample]
    /// Inputs that must produce findings on exactly the named resources.
    public var failingExamples: [RuleExample]

    /// Creates a description.
    public init(id: String, title: String, kind: RuleKind, defaultSeverity: FindingSeverity, rationale: String, source: String,
                fix: String, passingExamples: [RuleExample], failingExamples: [RuleExample]) {
        self.id = id
        self.title = title
        self.kind = kind
        self.defaultSeverity = defaultSeverity
        self.rationale = rationale
        self.source = source
        self.fix = fix
        self.passingExamples = passingExamples
        self.failingExamples = failingExamples
    }
}

/// A rule example: a spec (YAML) or an ARM template (JSON), and the resource names it must flag.
public struct RuleExample: Sendable {
    /// The input format.
    public enum Format: String, Sendable {
        case spec, arm
    }
    /// Format.
    public var format: Format
    /// The input text.
    public var text: String
    /// Names of the resources that must be flagged (empty for passing examples).
    public var flagged: [String]
    /// Where the example is written, so a failure points at it.
    public var file: String
    /// Line of the example.
    public var line: Int

    /// A spec example.
    public static func spec(_ text: String, flagging flagged: [String] = [], file: String = #filePath, line: Int = #line) -> RuleExample {
        RuleExample(format: .spec, text: text, flagged: flagged, file: file, line: line)
    }
    /// An ARM example; `resources` is the JSON of the template's `resources` array (without brackets), and the
    /// optional `parameters` and `outputs` the JSON members of those sections (without braces).
    public static func arm(_ resources: String, parameters: String? = nil, outputs: String? = nil, flagging flagged: [String] = [],
                           file: String = #filePath, line: Int = #line) -> RuleExample {
        let extra = (parameters.map { ", \"parameters\": {\($0)}" } ?? "") + (outputs.map { ", \"outputs\": {\($0)}" } ?? "")
        let template = """
        {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
         "contentVersion": "1.0.0.0", "resources": [\(resources)]\(extra)}
        """
        return RuleExample(format: .arm, text: template, flagged: flagged, file: file, line: line)
    }
}
