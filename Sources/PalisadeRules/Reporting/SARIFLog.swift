import Foundation
import PalisadeModel

/// A SARIF 2.1.0 log as typed Codable structs (never `[String: Any]`), for GitHub code scanning.
public struct SARIFLog: Codable, Sendable, Hashable {
    enum CodingKeys: String, CodingKey {
        case schema = "$schema", version, runs
    }
    /// Schema URI.
    public var schema = "https://json.schemastore.org/sarif-2.1.0.json"
    /// Always `2.1.0`.
    public var version = "2.1.0"
    /// One run.
    public var runs: [Run]

    /// A tool run.
    public struct Run: Codable, Sendable, Hashable {
        public var tool: Tool
        public var results: [Result]
        public var columnKind = "unicodeCodePoints"
    }
    /// The tool.
    public struct Tool: Codable, Sendable, Hashable {
        public var driver: Driver
    }
    /// The driver component.
    public struct Driver: Codable, Sendable, Hashable {
        public var name = "Palisade"
        public var informationUri = "https://github.com/palisade-dev/palisade"
        public var semanticVersion = "0.1.0"
        public var rules: [ReportingDescriptor]
    }
    /// Rule metadata.
    public struct ReportingDescriptor: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
        public var shortDescription: Message
        public var fullDescription: Message
        public var help: Message
        public var defaultConfiguration: Configuration
        public var properties: RuleProperties
    }
    /// A rule's default level.
    public struct Configuration: Codable, Sendable, Hashable {
        public var level: String
    }
    /// Rule properties GitHub reads.
    public struct RuleProperties: Codable, Sendable, Hashable {
        enum CodingKeys: String, CodingKey {
            case securitySeverity = "security-severity", tags, precision
        }
        public var securitySeverity: String
        public var tags: [String]
        public var precision = "high"
    }
    /// Text (and optional markdown).
    public struct Message: Codable, Sendable, Hashable {
        public var text: String
        public var markdown: String?
    }
    /// One result.
    public struct Result: Codable, Sendable, Hashable {
        public var ruleId: String
        public var ruleIndex: Int
        public var level: String
        public var message: Message
        public var locations: [Location]
        public var suppressions: [Suppression]?
        public var partialFingerprints: [String: String]
    }
    /// Where a result is.
    public struct Location: Codable, Sendable, Hashable {
        public var physicalLocation: PhysicalLocation?
        public var logicalLocations: [LogicalLocation]
    }
    /// File and region.
    public struct PhysicalLocation: Codable, Sendable, Hashable {
        public var artifactLocation: ArtifactLocation
        public var region: Region?
    }
    /// A file URI.
    public struct ArtifactLocation: Codable, Sendable, Hashable {
        public var uri: String
    }
    /// A line (and column).
    public struct Region: Codable, Sendable, Hashable {
        public var startLine: Int
        public var startColumn: Int?
    }
    /// Resource type and name.
    public struct LogicalLocation: Codable, Sendable, Hashable {
        public var name: String
        public var fullyQualifiedName: String
        public var kind = "resource"
    }
    /// A waiver.
    public struct Suppression: Codable, Sendable, Hashable {
        public var kind = "inSource"
        public var justification: String
    }
}

extension SARIFLog {
    /// The SARIF log for a set of findings; every catalog rule is listed so rule indexes are stable.
    public init(findings: [Finding], rules: [any Rule.Type] = RuleCatalog.all) {
        let descriptions = rules.map { $0.description }
        let index = Dictionary(uniqueKeysWithValues: descriptions.enumerated().map { ($1.id, $0) })
        let descriptors = descriptions.map { rule in
            ReportingDescriptor(
                id: rule.id, name: rule.title.replacingOccurrences(of: " ", with: ""),
                shortDescription: Message(text: rule.title), fullDescription: Message(text: rule.rationale),
                help: Message(text: "\(rule.rationale)\nFix: \(rule.fix)\nSource: \(rule.source)",
                              markdown: "\(rule.rationale)\n\n**Fix:** \(rule.fix)\n\n**Source:** \(rule.source)"),
                defaultConfiguration: Configuration(level: rule.defaultSeverity.rawValue),
                properties: RuleProperties(securitySeverity: rule.defaultSeverity.securitySeverity, tags: [rule.kind.rawValue, "azure", "network"]))
        }
        let results = findings.map { finding in
            let physical = finding.location.flatMap { location -> PhysicalLocation? in
                guard !location.file.isEmpty else { return nil }
                return PhysicalLocation(artifactLocation: ArtifactLocation(uri: location.file),
                                        region: location.line.map { Region(startLine: max(1, $0), startColumn: location.column.map { max(1, $0) }) })
            }
            return Result(
                ruleId: finding.ruleID, ruleIndex: index[finding.ruleID] ?? 0, level: finding.severity.rawValue,
                message: Message(text: "\(finding.message). Fix: \(finding.fix)"),
                locations: [Location(physicalLocation: physical, logicalLocations: [
                    LogicalLocation(name: finding.subject.name, fullyQualifiedName: "\(finding.resourceType.rawValue)/\(finding.subject.name)"),
                ])],
                suppressions: finding.suppression.map { [Suppression(justification: $0.reason)] },
                partialFingerprints: ["palisade/v1": "\(finding.ruleID):\(finding.subject.rawValue.lowercased())"])
        }
        runs = [Run(tool: Tool(driver: Driver(rules: descriptors)), results: results)]
    }
}
