/// A finding the input deliberately accepts: `waivers:` in a spec, `metadata.palisade.waivers` in ARM.
/// Waived findings are still reported, marked suppressed (SARIF `suppressions`), and never fail a check.
public struct Waiver: Hashable, Sendable, Codable {
    /// The rule waived.
    public var ruleID: String
    /// The resource it applies to (name or full ID, case-insensitive); nil waives the rule everywhere.
    public var resource: String?
    /// Why; required, so every waiver is justified in review.
    public var reason: String
    /// Where the waiver is written.
    public var source: SourceLocation?

    /// Creates a waiver.
    public init(ruleID: String, resource: String?, reason: String, source: SourceLocation? = nil) {
        self.ruleID = ruleID
        self.resource = resource
        self.reason = reason
        self.source = source
    }

    /// Whether the waiver covers `rule` on `subject`.
    public func covers(rule: String, subject: ResourceID) -> Bool {
        guard rule.lowercased() == ruleID.lowercased() else { return false }
        guard let resource else { return true }
        let folded = resource.lowercased()
        return folded == subject.rawValue.lowercased() || folded == subject.name.lowercased()
    }
}
