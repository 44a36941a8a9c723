import PalisadeModel

/// One problem a rule found, with the evidence that shows it and the fix.
public struct Finding: Sendable, Codable, Hashable {
    /// The rule's stable ID.
    public var ruleID: String
    /// Severity (the rule's default unless the rule raises or lowers it).
    public var severity: FindingSeverity
    /// What is wrong, quoting the resource.
    public var message: String
    /// The resource concerned.
    public var subject: ResourceID
    /// Its ARM type.
    public var resourceType: ResourceType
    /// Where the resource is declared (spec or template file and line).
    public var location: SourceLocation?
    /// What shows the problem: properties, or a packet trace.
    public var evidence: [Evidence]
    /// How to fix it.
    public var fix: String
    /// Set when the input waives the finding.
    public var suppression: Waiver?
    /// The re-verified change that removes the finding, or why there is none (filled by `FixReview`).
    public var verifiedFix: FindingFix?

    /// Creates a finding.
    public init(ruleID: String, severity: FindingSeverity, message: String, subject: ResourceID, resourceType: ResourceType,
                location: SourceLocation?, evidence: [Evidence], fix: String) {
        self.ruleID = ruleID
        self.severity = severity
        self.message = message
        self.subject = subject
        self.resourceType = resourceType
        self.location = location
        self.evidence = evidence
        self.fix = fix
    }
}

/// Evidence for a finding.
public struct Evidence: Sendable, Codable, Hashable {
    /// What kind of evidence this is.
    public enum Kind: String, Sendable, Codable, Hashable {
        /// A resource property and its value.
        case property
        /// A packet trace, hop by hop.
        case trace
        /// A related resource.
        case related
    }
    /// Kind.
    public var kind: Kind
    /// The resource the evidence is about.
    public var resource: ResourceID?
    /// Property path, e.g. `properties.privateEndpointNetworkPolicies`.
    public var property: String?
    /// The value found.
    public var value: String?
    /// Trace hops, for path evidence.
    public var hops: [String]

    /// A property value.
    public static func property(_ resource: ResourceID, _ property: String, _ value: String) -> Evidence {
        Evidence(kind: .property, resource: resource, property: property, value: value, hops: [])
    }
    /// A related resource.
    public static func related(_ resource: ResourceID, _ note: String) -> Evidence {
        Evidence(kind: .related, resource: resource, property: nil, value: note, hops: [])
    }
    /// A trace.
    public static func trace(_ summary: String, hops: [String]) -> Evidence {
        Evidence(kind: .trace, resource: nil, property: nil, value: summary, hops: hops)
    }

    /// One line of text.
    public var text: String {
        switch kind {
        case .property: "\(resource?.name ?? "?") \(property ?? "") = \(value ?? "")"
        case .related: "\(resource?.name ?? "?"): \(value ?? "")"
        case .trace: ([value ?? "trace"] + hops.map { "  → \($0)" }).joined(separator: "\n")
        }
    }
}
