"""The annual report (政府信息公开工作年度报告) of each body and year, from prepare to publish
(条例第四十九、五十条): tables 三 and 四 from the register, table 二 from the catalogue, the six
sections written in the browser, findings live, the states 草稿 → 已提交 → 退回/已接收 → 已发布
(→ 更正), the year locked on submission, and every version stored with its sha256."""
