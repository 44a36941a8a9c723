/// A firewall target FQDN: exact (`pypi.org`), wildcard (`*.pypi.org`) or everything (`*`).
///
/// Matching follows docs/semantics.md#firewall-fqdn-wildcards: `*.contoso.com` matches `a.contoso.com` and
/// `a.b.contoso.com` (one or more labels) but never the apex `contoso.com`; `*` matches any name;
/// comparison ignores case and a trailing dot. See docs/semantics.md#firewall-fqdn-wildcards and docs/engine-decisions.md (FQDN wildcards).
public struct FQDNPattern: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The pattern as written.
    public let text: String
    private let folded: String

    /// Creates a pattern.
    public init(_ text: String) {
        self.text = text
        var folded = text.lowercased()
        if folded.hasSuffix(".") { folded.removeLast() }
        self.folded = folded
    }

    /// Whether this is `*`.
    public var isAny: Bool { folded == "*" }

    /// Whether `name` matches (docs/semantics.md#firewall-fqdn-wildcards).
    public func matches(_ name: String) -> Bool {
        var host = name.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        if isAny { return !host.isEmpty }
        if folded.hasPrefix("*.") {
            let suffix = String(folded.dropFirst(1))  // ".contoso.com"
            return host.hasSuffix(suffix) && host.count > suffix.count
        }
        return host == folded
    }

    /// Whether every name this pattern matches is also matched by `other`.
    public func isCovered(by other: FQDNPattern) -> Bool {
        if other.isAny { return true }
        if isAny { return false }
        if folded.hasPrefix("*.") {
            return other.folded.hasPrefix("*.") && (folded == other.folded || folded.hasSuffix(String(other.folded.dropFirst(1))))
        }
        return other.matches(folded)
    }

    public var description: String { text }
    public static func == (l: FQDNPattern, r: FQDNPattern) -> Bool { l.folded == r.folded }
    public func hash(into hasher: inout Hasher) { hasher.combine(folded) }
    public static func < (l: FQDNPattern, r: FQDNPattern) -> Bool { l.folded < r.folded }

    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

/// An application-level grant: names matching `pattern` (minus names already decided by earlier rules)
/// on the given application protocols and ports.
public struct FQDNGrant: Hashable, Sendable, Codable, Comparable {
    /// Allowed names.
    public var pattern: FQDNPattern
    /// Names excluded because an earlier deny rule matched them first.
    public var except: [FQDNPattern]
    /// `Https:443` style protocol entries.
    public var protocols: [String]
    /// Where the grant comes from (firewall rule or managed-network rule name).
    public var rule: String

    /// Creates a grant.
    public init(pattern: FQDNPattern, except: [FQDNPattern] = [], protocols: [String], rule: String) {
        self.pattern = pattern
        self.except = except
        self.protocols = protocols
        self.rule = rule
    }

    /// Whether `name` on `port` is granted.
    public func grants(_ name: String, port: Int) -> Bool {
        pattern.matches(name) && !except.contains { $0.matches(name) }
            && protocols.contains { $0.hasSuffix(":\(port)") }
    }

    public static func < (l: FQDNGrant, r: FQDNGrant) -> Bool { (l.pattern, l.rule) < (r.pattern, r.rule) }
}
