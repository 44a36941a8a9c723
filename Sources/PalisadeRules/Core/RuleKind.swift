/// What a rule protects; a closed set so reports can group and filter.
public enum RuleKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// Exposure, exfiltration, identity and secrets.
    case security
    /// Paths that must exist for the environment to work (required destinations, DNS).
    case connectivity
    /// Deployments that will fail or break later (the errors users hit).
    case reliability
    /// Configuration that is dead, shadowed or confusing.
    case hygiene
}

/// How serious a finding is; also the `--severity` threshold.
public enum FindingSeverity: String, Sendable, Codable, CaseIterable, Hashable, Comparable {
    case note, warning, error

    private var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }
    public static func < (lhs: FindingSeverity, rhs: FindingSeverity) -> Bool { lhs.rank < rhs.rank }

    /// GitHub code scanning's `security-severity` (0–10): note 3.0, warning 6.0, error 8.5.
    public var securitySeverity: String {
        switch self {
        case .note: "3.0"
        case .warning: "6.0"
        case .error: "8.5"
        }
    }
}
