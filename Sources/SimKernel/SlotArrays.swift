extension Array {
    /// Makes `index` valid, appending `filler` as needed: for arrays indexed by small dense
    /// handles (job slots) that grow as handles are first used.
    @inlinable
    public mutating func growToInclude(_ index: Int, with filler: Element) {
        if index >= count { append(contentsOf: repeatElement(filler, count: index - count + 1)) }
    }
}

extension Array where Element: BitwiseCopyable {
    /// Empties the array, keeping its storage: as `removeAll(keepingCapacity: true)`, without the
    /// general range replacement it goes through (most of the cost of emptying the few-element
    /// lists a fabric keeps per flow and reuses at every attach; a long one still goes through it).
    @inlinable
    public mutating func empty() {
        guard count <= 8 else { return removeAll(keepingCapacity: true) }
        while !isEmpty { removeLast() }
    }
}
