import Foundation
import PalisadeARM
import PalisadeModel

/// Reads snapshots into the resource graph through the export importer's conversion (`ARMImporter.convert`),
/// one row at a time: the file is memory-mapped and each line parsed alone, so a 200,000-resource estate is
/// never held as one JSON tree. A snapshot someone reformatted still reads, through the ordinary whole-file parse.
public enum SnapshotReader {
    /// A read snapshot.
    public struct Loaded: Sendable {
        /// The header, if the file has one.
        public var header: SnapshotHeader?
        /// The graph.
        public var graph: ResourceGraph
        /// Problems found (a malformed row is an error naming its line).
        public var diagnostics: Diagnostics
    }

    /// Reads a snapshot file.
    public static func load(_ path: String) -> Loaded {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            return Loaded(header: nil, graph: ResourceGraph(),
                          diagnostics: Diagnostics([Diagnostic(.error, code: "audit.io", "cannot read '\(path)'",
                                                               fix: "check the path and permissions", at: SourceLocation(file: path))]))
        }
        if let (header, raw, diagnostics) = readLines(data, file: path) {
            let (graph, converted) = ARMImporter.convert(raw)
            return Loaded(header: header, graph: graph, diagnostics: Diagnostics(diagnostics.items + converted.items))
        }
        // Not in the one-row-a-line layout: parse the whole document like any resource export.
        let (node, parseDiagnostics) = ARMLoader.parse(bytes: [UInt8](data), file: path, maxBytes: max(data.count + 1, 64 << 20))
        guard let node else { return Loaded(header: nil, graph: ResourceGraph(), diagnostics: parseDiagnostics) }
        var header: SnapshotHeader?
        if let headerNode = node["palisadeSnapshot"], let json = try? JSONSerialization.data(withJSONObject: headerNode.value.jsonValue.foundationObject) {
            header = try? JSONDecoder().decode(SnapshotHeader.self, from: json)
        }
        let (raw, exportDiagnostics) = ResourceExport.resources(from: node, file: path)
        let (graph, converted) = ARMImporter.convert(raw)
        return Loaded(header: header, graph: graph, diagnostics: Diagnostics(parseDiagnostics.items + exportDiagnostics.items + converted.items))
    }

    /// Converts rows just read from Azure, through the same per-row path as a saved snapshot.
    public static func graph(from rows: [AuditRow], file: String) -> (ResourceGraph, Diagnostics) {
        var raw: [RawResource] = []
        raw.reserveCapacity(rows.count)
        var diagnostics: [Diagnostic] = []
        for (index, row) in rows.enumerated() {
            switch rawResource([UInt8](row.json), line: index + 1, index: index, file: file) {
            case .success(let r): raw.append(r)
            case .failure(let d): diagnostics.append(d)
            }
        }
        let (graph, converted) = ARMImporter.convert(raw)
        return (graph, Diagnostics(diagnostics + converted.items))
    }

    /// The one-row-a-line layout, or nil when the file is laid out differently.
    static func readLines(_ data: Data, file: String) -> (SnapshotHeader?, [RawResource], Diagnostics)? {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> (SnapshotHeader?, [RawResource], Diagnostics)? in
            let bytes = buffer.bindMemory(to: UInt8.self)
            var lines: [Range<Int>] = []
            var start = 0
            for i in 0..<bytes.count where bytes[i] == 0x0A {
                lines.append(start..<i)
                start = i + 1
            }
            if start < bytes.count { lines.append(start..<bytes.count) }
            func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self) }
            let headerPrefix = Array("\"palisadeSnapshot\": ".utf8)
            guard lines.count >= 5, text(lines[0]) == "{", text(lines[2]) == "\"value\": [",
                  text(lines[lines.count - 1]) == "}", text(lines[lines.count - 2]) == "]" else { return nil }
            let headerLine = lines[1]
            guard headerLine.count > headerPrefix.count, Array(bytes[headerLine.prefix(headerPrefix.count)]) == headerPrefix else { return nil }
            var headerBytes = Array(bytes[(headerLine.lowerBound + headerPrefix.count)..<headerLine.upperBound])
            if headerBytes.last == 0x2C { headerBytes.removeLast() }
            let header = try? JSONDecoder().decode(SnapshotHeader.self, from: Data(headerBytes))
            // Rows are independent: parse them on every core, in contiguous chunks, into their own slots.
            let rowLines = Array(lines[3..<(lines.count - 2)])
            let count = rowLines.count
            var outcomes = [RowOutcome?](repeating: nil, count: count)
            let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
            let chunk = max(1, (count + workers - 1) / workers)
            outcomes.withUnsafeMutableBufferPointer { slots in
                nonisolated(unsafe) let slots = slots
                nonisolated(unsafe) let bytes = bytes
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let start = worker * chunk, end = min(count, start + chunk)
                    guard start < end else { return }
                    for k in start..<end {
                        var row = Array(bytes[rowLines[k]])
                        if row.last == 0x2C { row.removeLast() }
                        slots[k] = rawResource(row, line: k + 4, index: k, file: file)
                    }
                }
            }
            var raw: [RawResource] = []
            raw.reserveCapacity(count)
            var diagnostics: [Diagnostic] = []
            for outcome in outcomes {
                switch outcome {
                case .success(let r)?: raw.append(r)
                case .failure(let d)?: diagnostics.append(d)
                case nil: break
                }
            }
            return (header, raw, Diagnostics(diagnostics))
        }
    }

    /// One row: parsed with the importer's located JSON parser; its position is the row's line.
    static func rawResource(_ bytes: [UInt8], line: Int, index: Int, file: String) -> RowOutcome {
        let path = "value[\(index)]"
        var parser = JSONParser(maxDepth: 256, maxBytes: 64 << 20)
        let node: JSONNode
        do { node = try parser.parse(bytes: bytes) } catch {
            return .failure(Diagnostic(.error, code: "audit.snapshot-row", "resource \(index) is not valid JSON: \(error.message)",
                                       fix: "restore the snapshot from a fresh 'palisade audit --save', or repair this line",
                                       at: SourceLocation(file: file, line: line, column: error.column, path: path)))
        }
        guard node.members != nil, let type = node["type"]?.stringValue, let id = node["id"]?.stringValue, !id.isEmpty else {
            return .failure(Diagnostic(.error, code: "audit.snapshot-row", "resource \(index) has no 'id' or 'type'",
                                       fix: "every snapshot row needs the resource's 'id' and 'type'",
                                       at: SourceLocation(file: file, line: line, column: 1, path: path)))
        }
        let name = node["name"]?.stringValue ?? ResourceID(id).name
        let location = SourceLocation(file: file, line: line, column: 1, path: path)
        return .success(RawResource(type: ResourceID(id).resourceType?.rawValue ?? type, name: name, id: id, body: node.value, source: location))
    }
}

/// One snapshot row read: a resource, or the error that names its line.
enum RowOutcome {
    case success(RawResource)
    case failure(Diagnostic)
}

extension JSONValue {
    /// The value as Foundation objects, for `JSONSerialization`.
    var foundationObject: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return b
        case .integer(let i): return i
        case .number(let d): return d
        case .string(let s): return s
        case .array(let a): return a.map(\.foundationObject)
        case .object(let o): return o.mapValues(\.foundationObject)
        }
    }
}
