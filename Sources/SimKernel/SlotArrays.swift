extension Array {
    /// Makes `index` valid, appending `filler` as needed: for arrays indexed by small dense
    /// handles (job slots) that grow as handles are first used.
    @inlinable
    public mutating func growToInclude(_ index: Int, with filler: Element) {
        if index >= count { append(contentsOf: repeatElement(filler, count: index - count + 1)) }
    }
}
