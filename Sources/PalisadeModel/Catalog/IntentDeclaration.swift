import Foundation

/// A statement about what must, may or must not reach what, proved over the network model. Declared in a spec
/// (`intents:`), in a separate intents file (`--intents FILE`), or built in from Microsoft's documented Azure
/// Machine Learning requirements. Endpoints are written as text and resolved against the model when proved:
/// a resource name or ID, a subnet (`vnet/subnet` when ambiguous), an address or prefix, a service tag, a host
/// name (wildcards allowed), `internet`, or a kind: `all computes`, `all private endpoints`, `all jumpboxes`,
/// `vpn clients`.
public struct IntentDeclaration: Sendable, Hashable, Codable {
    /// The four forms.
    public enum Form: String, Sendable, Hashable, Codable, CaseIterable {
        /// `X must reach Y`: every source of X reaches every Y (a witness trace each).
        case mustReach = "must reach"
        /// `X may reach only [...]`: every packet X can send that is delivered lies in the set.
        case mayReachOnly = "may reach only"
        /// `nothing from the internet reaches [...]`.
        case nothingFromInternetReaches = "nothing from the internet reaches"
        /// `only [...] reach Y`: no other source reaches Y.
        case onlyReach = "only reach"
    }

    /// The form.
    public var form: Form
    /// A short name for reports (the text of the intent when none is given).
    public var name: String
    /// Sources: X for must reach / may reach only; the permitted sources for `only [...] reach Y`; empty for
    /// the internet form.
    public var sources: [String]
    /// Destinations: Y for must reach and `only … reach Y`; the permitted set for may reach only; the protected
    /// set for the internet form.
    public var destinations: [IntentTarget]
    /// Where the intent comes from: a Microsoft Learn URL for built-in intents.
    public var citation: String?
    /// Where it is declared (file, line, key path); nil for built-in intents.
    public var source: SourceLocation?
    /// Whether Palisade derived it from the documented requirements.
    public var isBuiltIn: Bool

    /// Creates an intent.
    public init(form: Form, name: String, sources: [String], destinations: [IntentTarget], citation: String? = nil,
                source: SourceLocation? = nil, isBuiltIn: Bool = false) {
        self.form = form
        self.name = name
        self.sources = sources
        self.destinations = destinations
        self.citation = citation
        self.source = source
        self.isBuiltIn = isBuiltIn
    }

    /// The intent as one line of text, e.g. `all computes must reach pypi.org tcp/443`.
    public var text: String {
        let targets = destinations.map(\.text).joined(separator: ", ")
        switch form {
        case .mustReach: return "\(sources.joined(separator: ", ")) must reach \(targets)"
        case .mayReachOnly: return "\(sources.joined(separator: ", ")) may reach only [\(targets)]"
        case .nothingFromInternetReaches: return "nothing from the internet reaches [\(targets)]"
        case .onlyReach: return "only [\(sources.joined(separator: ", "))] reach \(targets)"
        }
    }
}

/// One endpoint of an intent, with the ports and protocol it concerns.
public struct IntentTarget: Sendable, Hashable, Codable {
    /// The endpoint text (see `IntentDeclaration`).
    public var endpoint: String
    /// Destination port ranges; empty means every port.
    public var ports: [PortRange]
    /// `tcp`, `udp`, `icmp` or `any`.
    public var `protocol`: String

    /// Creates a target.
    public init(_ endpoint: String, ports: [PortRange] = [], protocol: String = "any") {
        self.endpoint = endpoint
        self.ports = ports
        self.protocol = `protocol`
    }

    /// A target on single ports.
    public static func on(_ endpoint: String, _ ports: [Int], _ protocol: String = "tcp") -> IntentTarget {
        IntentTarget(endpoint, ports: ports.map { PortRange($0, $0) }, protocol: `protocol`)
    }

    /// `endpoint tcp/443,445` or just the endpoint when every port and protocol is meant.
    public var text: String {
        if ports.isEmpty && `protocol` == "any" { return endpoint }
        let portText = ports.isEmpty ? "*" : ports.map(\.description).joined(separator: ",")
        return "\(endpoint) \(`protocol`)/\(portText)"
    }
}

/// What an environment declares it may send beyond Microsoft's required destinations: its package sources and
/// any extra destinations its spec names (`firewall.allowFqdns`, a verbatim allow-list profile). Imported
/// templates declare nothing, so `packageHosts` is nil there: no package source is required, and the documented
/// public package repositories are permitted.
public struct DeclaredEgress: Sendable, Hashable {
    /// Host names of the declared package sources; nil when the input declares none.
    public var packageHosts: [String]?
    /// Further declared destinations.
    public var additional: [IntentTarget]

    /// Creates a declaration.
    public init(packageHosts: [String]? = nil, additional: [IntentTarget] = []) {
        self.packageHosts = packageHosts
        self.additional = additional
    }

    /// Nothing declared (imported inputs).
    public static let undeclared = DeclaredEgress()
}
