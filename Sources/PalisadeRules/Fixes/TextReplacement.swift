/// One contiguous edit to an input file: the text between two positions replaced by new text. Positions are
/// 1-based lines and 1-based columns counted in Unicode code points (the SARIF log's `columnKind`), the end exclusive; equal start
/// and end make an insertion point. A verified spec fix carries the replacement that turns the user's file into
/// the edited one, so SARIF consumers can offer it as a patch.
public struct TextReplacement: Sendable, Codable, Hashable {
    /// The file as the input named it.
    public var file: String
    /// Line of the first character removed.
    public var startLine: Int
    /// Column of the first character removed.
    public var startColumn: Int
    /// Line of the position just after the last character removed.
    public var endLine: Int
    /// Column of the position just after the last character removed.
    public var endColumn: Int
    /// The text put in its place.
    public var insertedText: String

    /// Creates a replacement.
    public init(file: String, startLine: Int, startColumn: Int, endLine: Int, endColumn: Int, insertedText: String) {
        self.file = file
        self.startLine = startLine
        self.startColumn = startColumn
        self.endLine = endLine
        self.endColumn = endColumn
        self.insertedText = insertedText
    }

    /// The one replacement that turns `original` into `edited`: the whole lines between their common first and
    /// last lines (line breaks included), or nil when the texts are equal or use CRLF breaks.
    public static func between(_ original: String, _ edited: String, file: String) -> TextReplacement? {
        // CRLF files are not patched (a break is one character to Swift and two to a SARIF consumer).
        guard !original.unicodeScalars.contains("\r"), !edited.unicodeScalars.contains("\r") else { return nil }
        let before = original.split(separator: "\n", omittingEmptySubsequences: false)
        let after = edited.split(separator: "\n", omittingEmptySubsequences: false)
        guard before != after else { return nil }
        var prefix = 0
        while prefix < before.count, prefix < after.count, before[prefix] == after[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < before.count - prefix, suffix < after.count - prefix,
              before[before.count - 1 - suffix] == after[after.count - 1 - suffix] { suffix += 1 }
        let removed = before.count - prefix - suffix
        let inserted = after[prefix..<(after.count - suffix)].map(String.init)
        if suffix > 0 {
            // Whole lines `prefix+1 ... prefix+removed`, each with its line break, up to the start of the next kept line.
            return TextReplacement(file: file, startLine: prefix + 1, startColumn: 1, endLine: prefix + removed + 1, endColumn: 1,
                                   insertedText: inserted.map { $0 + "\n" }.joined())
        }
        // The change runs to the end of the file: start after the last kept line's text, so no break is left over.
        if prefix == 0 {
            return TextReplacement(file: file, startLine: 1, startColumn: 1, endLine: before.count,
                                   endColumn: before[before.count - 1].unicodeScalars.count + 1, insertedText: inserted.joined(separator: "\n"))
        }
        return TextReplacement(file: file, startLine: prefix, startColumn: before[prefix - 1].unicodeScalars.count + 1, endLine: before.count,
                               endColumn: before[before.count - 1].unicodeScalars.count + 1,
                               insertedText: inserted.map { "\n" + $0 }.joined())
    }

    /// `text` with this replacement applied (for checking one).
    public func applied(to text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func offset(_ line: Int, _ column: Int) -> Int? {
            guard line >= 1, line <= lines.count, column >= 1, column <= lines[line - 1].unicodeScalars.count + 1 else { return nil }
            return lines[..<(line - 1)].reduce(0) { $0 + $1.unicodeScalars.count + 1 } + column - 1
        }
        guard let start = offset(startLine, startColumn), let end = offset(endLine, endColumn), start <= end else { return nil }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[..<start])
        result.append(contentsOf: insertedText.unicodeScalars)
        result.append(contentsOf: scalars[end...])
        return String(result)
    }
}
