/// A problem found while reading or converting input; conversion records these instead of throwing.
public struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    /// How bad the problem is.
    public enum Severity: String, Hashable, Sendable, Codable, Comparable, CaseIterable {
        /// Informational: something the user may want to know.
        case note
        /// Something is suspicious or was not fully understood, but output is still complete.
        case warning
        /// The input is invalid; commands stop with exit code 2.
        case error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// The severity.
    public var severity: Severity
    /// A stable identifier for the kind of problem, e.g. `spec.unknown-key`.
    public var code: String
    /// What is wrong, in one sentence, lower-case, quoting the offending value.
    public var message: String
    /// How to fix it, if there is a known fix.
    public var fix: String?
    /// Where the problem is.
    public var location: SourceLocation?

    /// Creates a diagnostic.
    public init(_ severity: Severity, code: String, _ message: String, fix: String? = nil, at location: SourceLocation? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.fix = fix
        self.location = location
    }

    /// `file:line:col: error: message (path) — fix`, the format compilers use so editors can jump to it.
    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += "\(severity.rawValue): \(message)"
        if let path = location?.path, !path.isEmpty { text += " [at \(path)]" }
        if let fix { text += "\n  fix: \(fix)" }
        return text
    }
}

/// An ordered collection of diagnostics with helpers for the common checks.
public struct Diagnostics: Sendable, Codable, Hashable, Sequence {
    /// The diagnostics in the order they were recorded.
    public private(set) var items: [Diagnostic] = []

    /// Creates an empty collection.
    public init() {}

    /// Creates a collection from diagnostics.
    public init(_ items: [Diagnostic]) { self.items = items }

    /// Records a diagnostic.
    public mutating func append(_ diagnostic: Diagnostic) { items.append(diagnostic) }

    /// Records several diagnostics.
    public mutating func append(contentsOf other: some Sequence<Diagnostic>) { items.append(contentsOf: other) }

    /// Whether any error was recorded.
    public var hasErrors: Bool { items.contains { $0.severity == .error } }

    /// The errors only.
    public var errors: [Diagnostic] { items.filter { $0.severity == .error } }

    public func makeIterator() -> IndexingIterator<[Diagnostic]> { items.makeIterator() }
}
