/// Generates `docs/rules.md` from the catalog (a test fails when the committed file is stale).
public enum RuleDocumentation {
    /// The markdown document.
    public static func markdown(rules: [any Rule.Type] = RuleCatalog.all) -> String {
        var out = "<!-- GENERATED FILE. DO NOT EDIT! Run `swift run palisade rules --markdown > docs/rules.md`. -->\n"
        out += "# Palisade rules\n\n| ID | title | kind | severity | source |\n|---|---|---|---|---|\n"
        for rule in rules.map({ $0.description }) {
            out += "| [`\(rule.id)`](#\(rule.id)) | \(rule.title) | \(rule.kind.rawValue) | \(rule.defaultSeverity.rawValue) | \(rule.source) |\n"
        }
        for rule in rules.map({ $0.description }) {
            out += "\n## \(rule.id)\n\n**\(rule.title)** (\(rule.kind.rawValue), \(rule.defaultSeverity.rawValue))\n\n"
            out += "\(rule.rationale)\n\n**Fix:** \(rule.fix)\n\n**Source:** \(rule.source)\n"
            out += "\n\(rule.failingExamples.count) failing and \(rule.passingExamples.count) passing example(s); see `palisade explain \(rule.id)`.\n"
        }
        return out
    }

    /// One rule with its examples, as `palisade explain` prints it.
    public static func explain(_ rule: RuleDescription) -> String {
        var out = "\(rule.id): \(rule.title)\nkind: \(rule.kind.rawValue), default severity: \(rule.defaultSeverity.rawValue)\nsource: \(rule.source)\n\n"
        out += "\(rule.rationale)\n\nfix: \(rule.fix)\n"
        for example in rule.failingExamples {
            out += "\nfailing example (\(example.format.rawValue), flags \(example.flagged.joined(separator: ", "))):\n\(example.text)\n"
        }
        for example in rule.passingExamples {
            out += "\npassing example (\(example.format.rawValue)):\n\(example.text)\n"
        }
        return out
    }
}
