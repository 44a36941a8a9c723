import Foundation
import PalisadeModel
import Yams

/// One declared intent as written in YAML (spec `intents:` or an intents file). Exactly one form:
/// `{from: X, mustReach: [...]}`, `{from: X, mayReachOnly: [...]}`, `{nothingFromInternetReaches: [...]}` or
/// `{only: [...], reach: [...]}`; `ports` and `protocol` apply to every destination written as plain text.
public struct IntentSpec: Sendable, Hashable, Decodable {
    /// A short name for reports.
    public var name: String?
    /// The intent's form.
    public var form: IntentDeclaration.Form
    /// Sources (X, or the permitted sources of `only`).
    public var sources: [String]
    /// Destinations.
    public var destinations: [IntentTarget]

    enum CodingKeys: String, SpecKeys {
        case name, from, mustReach, mayReachOnly, nothingFromInternetReaches, only, reach, ports, `protocol`
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        let proto = try c.value(.protocol, or: "tcp").lowercased()
        guard ["tcp", "udp", "icmp", "any"].contains(proto) else {
            throw DecodingError.dataCorruptedError(forKey: .protocol, in: c,
                                                   debugDescription: "protocol '\(proto)' is not one of tcp, udp, icmp, any")
        }
        let portTexts = try c.decodeIfPresent([PortText].self, forKey: .ports)
        var ports: [PortRange] = []
        for text in portTexts ?? [] {
            guard let range = PortRange(text.text) else {
                throw DecodingError.dataCorruptedError(forKey: .ports, in: c,
                                                       debugDescription: "port '\(text.text)' is not a port (0–65535) or a range like 8000-8100")
            }
            ports.append(range)
        }
        let defaultPorts = ports
        func targets(_ key: CodingKeys) throws -> [IntentTarget]? {
            guard let written = try c.decodeIfPresent(OneOrMany<TargetText>.self, forKey: key) else { return nil }
            return written.values.map { $0.target(defaultPorts: defaultPorts, defaultProtocol: proto) }
        }
        let from = try c.decodeIfPresent(OneOrMany<String>.self, forKey: .from)?.values
        let forms: [(IntentDeclaration.Form, [IntentTarget])] = [
            try targets(.mustReach).map { (.mustReach, $0) },
            try targets(.mayReachOnly).map { (.mayReachOnly, $0) },
            try targets(.nothingFromInternetReaches).map { (.nothingFromInternetReaches, $0) },
            try targets(.reach).map { (.onlyReach, $0) },
        ].compactMap { $0 }
        guard forms.count == 1, let (form, destinations) = forms.first else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription: "an intent needs exactly one of mustReach, mayReachOnly, nothingFromInternetReaches or only…reach"))
        }
        self.form = form
        self.destinations = destinations
        switch form {
        case .mustReach, .mayReachOnly:
            guard let from, !from.isEmpty else {
                throw DecodingError.keyNotFound(CodingKeys.from, DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: "'\(form.rawValue)' needs 'from:' (a resource, subnet, prefix or kind such as 'all computes')"))
            }
            sources = from
        case .onlyReach:
            guard let only = try c.decodeIfPresent(OneOrMany<String>.self, forKey: .only)?.values else {
                throw DecodingError.keyNotFound(CodingKeys.only, DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: "'reach' needs 'only: [...]', the sources that may reach it"))
            }
            sources = only
        case .nothingFromInternetReaches:
            sources = []
        }
        if form != .onlyReach, c.contains(.only) {
            throw DecodingError.dataCorruptedError(forKey: .only, in: c, debugDescription: "'only' goes with 'reach', not with '\(form.rawValue)'")
        }
        guard !destinations.isEmpty else {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "the intent names no destination"))
        }
    }

    /// The neutral declaration, located at `source`.
    public func declaration(source: SourceLocation?) -> IntentDeclaration {
        var intent = IntentDeclaration(form: form, name: "", sources: sources, destinations: destinations, source: source)
        intent.name = name ?? intent.text
        return intent
    }
}

/// A YAML value that is either one item or a list of items.
struct OneOrMany<T: Decodable & Sendable>: Decodable, Sendable {
    var values: [T]
    init(from decoder: any Decoder) throws {
        // A written list is decoded as a list, so an element's own error (a bad port) is the one reported.
        if (try? decoder.unkeyedContainer()) != nil { values = try [T](from: decoder) } else { values = [try T(from: decoder)] }
    }
}

/// A port written as a number or as text (`8000-8100`).
struct PortText: Decodable, Sendable {
    var text: String
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        // Text first: YAML 1.1 readers take `0-65535` for a number (a base-60 form), which is not what was written.
        if let written = try? c.decode(String.self) { text = written } else { text = "\(try c.decode(Int.self))" }
    }
}

/// A destination: plain text, or `{to: X, ports: [...], protocol: tcp}`.
struct TargetText: Decodable, Sendable {
    var endpoint: String
    var ports: [PortRange]?
    var `protocol`: String?

    enum CodingKeys: String, SpecKeys { case to, ports, `protocol` }

    init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            endpoint = text
            return
        }
        let c = try decoder.specContainer(CodingKeys.self)
        endpoint = try c.decode(String.self, forKey: .to)
        if let texts = try c.decodeIfPresent([PortText].self, forKey: .ports) {
            var ranges: [PortRange] = []
            for text in texts {
                guard let range = PortRange(text.text) else {
                    throw DecodingError.dataCorruptedError(forKey: .ports, in: c,
                                                           debugDescription: "port '\(text.text)' is not a port (0–65535) or a range like 8000-8100")
                }
                ranges.append(range)
            }
            ports = ranges
        }
        `protocol` = try c.decodeIfPresent(String.self, forKey: .protocol)?.lowercased()
        if let p = `protocol`, !["tcp", "udp", "icmp", "any"].contains(p) {
            throw DecodingError.dataCorruptedError(forKey: .protocol, in: c, debugDescription: "protocol '\(p)' is not one of tcp, udp, icmp, any")
        }
    }

    func target(defaultPorts: [PortRange], defaultProtocol: String) -> IntentTarget {
        let ports = self.ports ?? defaultPorts
        // A destination with no ports and no protocol means every packet to it.
        let proto = `protocol` ?? (ports.isEmpty && self.ports == nil && defaultPorts.isEmpty ? "any" : defaultProtocol)
        return IntentTarget(endpoint, ports: ports, protocol: proto)
    }
}

/// An intents file (`--intents FILE`): `intents: [...]`, optionally with `version: 1`.
struct IntentsFile: Decodable {
    var intents: [IntentSpec]
    enum CodingKeys: String, SpecKeys { case version, intents }
    init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        let version = try c.value(.version, or: 1)
        guard version == 1 else {
            throw DecodingError.dataCorruptedError(forKey: .version, in: c, debugDescription: "intents file version \(version) is not supported; use version: 1")
        }
        intents = try c.decode([IntentSpec].self, forKey: .intents)
    }
}

extension SpecLoader {
    /// Reads an intents file (YAML, `schema/palisade-intents.schema.json`) into declarations with their lines.
    public func intents(file path: String) -> (intents: [IntentDeclaration]?, diagnostics: Diagnostics) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (nil, Diagnostics([Diagnostic(.error, code: "io.unreadable", "cannot read '\(path)'",
                                                 fix: "check the path and permissions", at: SourceLocation(file: path))]))
        }
        guard data.count <= Self.maximumBytes, let text = String(data: data, encoding: .utf8) else {
            return (nil, Diagnostics([Diagnostic(.error, code: "intents.unreadable", "'\(path)' is larger than 1 MiB or not UTF-8 text",
                                                 at: SourceLocation(file: path))]))
        }
        return intents(yaml: text, file: path)
    }

    /// Parses intents YAML text; `file` names the source in diagnostics.
    public func intents(yaml text: String, file: String) -> (intents: [IntentDeclaration]?, diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        let parsed: (IntentsFile?, Node?) = decodeDocument(IntentsFile.self, yaml: text, file: file, diagnostics: &diagnostics)
        guard let document = parsed.0 else {
            if !diagnostics.hasErrors {
                diagnostics.append(Diagnostic(.error, code: "intents.empty", "'\(file)' holds no intents",
                                              fix: "write `intents:` with a list, e.g. `- {from: all computes, mustReach: [pypi.org], ports: [443]}`",
                                              at: SourceLocation(file: file)))
            }
            return (nil, diagnostics)
        }
        let declarations = document.intents.enumerated().map { index, intent in
            intent.declaration(source: Self.location(of: "intents[\(index)]", in: parsed.1, file: file))
        }
        return (declarations, diagnostics)
    }
}
