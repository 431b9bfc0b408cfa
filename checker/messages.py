"""The words of govlint's interface, in Chinese and English: one catalogue for the command
line (help, errors, notes, status lines, table headers) and argparse's own phrases.

Findings have their words in the rule files; everything else a user reads comes from
here, so that a Chinese run is Chinese throughout (tests/test_first_hour.py looks for
English left in the zh output). The interface language is ``--lang``, else
``GOVLINT_LANG`` (zh or en), else ``en`` when the locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``) is English, else Chinese. The findings' language is ``--lang``, else the
config's ``lang``, else Chinese: the locale of a CI machine does not change them.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping, Sequence
from typing import Literal, Self

Lang = Literal["zh", "en"]

# key → (zh, en); {name} fields are filled by say().
CATALOGUE: dict[str, tuple[str, str]] = {
    # ---- errors and notes (prefixed "govlint: 错误:" / "govlint: error:")
    "error": ("govlint: 错误:{message}", "govlint: error: {message}"),
    "note": ("govlint: 提示:{message}", "govlint: note: {message}"),
    "nothing-to-lint": (
        "没有可检查的文件:{paths} 中没有报告文件(.txt .md .docx .html .pdf)(如属正常,加 --allow-empty 以 0 退出)",
        "nothing to lint: no report file (.txt .md .docx .html .pdf) in {paths} (--allow-empty makes this exit 0)",
    ),
    "not-read": ("{path} 未检查:{advice}", "{path} not read: {advice}"),
    "hidden-by-baseline": ("基线文件 {path} 隐藏了 {count} 个问题", "{count} finding(s) hidden by the baseline {path}"),
    "recorded": (
        "已在 {path} 中记录 {count} 个问题({files} 个文件)",
        "recorded {count} finding(s) of {files} file(s) in {path}",
    ),
    "unrecorded-trouble": ("{path}:{code} {message}", "{path}: {code} {message}"),
    "would-fix": ("{count} 个文件可以自动修复", "{count} file(s) would be fixed"),
    "fixed": ("已修复 {path}:{what}", "fixed {path}: {what}"),
    "not-fixable": ("{path} 未改动:只修复 .txt 和 .md 文件", "{path} left as it is: only .txt and .md files are fixed"),
    "not-fixed": ("{path}:未修复:{reason}", "{path}: not fixed: {reason}"),
    "cannot-write": ("无法写入 {path}:{reason}", "cannot write {path}: {reason}"),
    "run-trouble": (
        "运行中断:无法保存运行中的临时数据或启动检查进程({reason})",
        "the run stopped: its temporary files or worker processes failed ({reason})",
    ),
    "progress-linting": ("检查报告", "linting"),
    "binary-needs-output": (
        "--format {format} 生成的是二进制工作簿,不能输出到终端或管道:请用 -o 指定文件,如 -o 汇总.{format}",
        "--format {format} writes a binary workbook, not text for a terminal or a pipe: give -o FILE.{format}",
    ),
    "sheet-without-statistics": (
        "--statistics 不能与 --format {format} 同用:汇总表每份报告一行,已列出各报告的问题数和代码",
        "--statistics does not go with --format {format}: the summary sheet already counts each report's findings",
    ),
    "wrote-annotated": ("已写出 {path},含 {count} 条批注", "wrote {path} with {count} comment(s)"),
    "annotate-docx-only": ("{path}:annotate 只能在 Word .docx 文件中写批注", "{path}: annotate writes comments into Word .docx files only"),
    "annotate-onto-report": ("{path} 就是报告本身:请用 --output 另选位置", "{path} is the report itself: choose another --output"),
    "stdin-no-fix": (
        "--fix 和 --diff 不能用于标准输入(-):请对文件本身运行",
        "--fix and --diff do not work on standard input (-): run them on the file itself",
    ),
    "fix-round-trip": ("这个 {encoding} 文本无法逐字节原样写回", "the {encoding} text would not be written back byte for byte"),
    "fix-hard-links": (
        "它有 {links} 个硬链接,修复会把它们拆开(--force 只修复这个文件名)",
        "it has {links} hard links, and fixing would split them (--force fixes this name only)",
    ),
    "fix-read-only": ("它是只读文件(--force 照样修复,并保留其权限)", "it is read-only (--force fixes it all the same, keeping its permissions)"),
    "fix-changed": ("修复期间文件被改动:保持改动后的样子", "it changed while it was being fixed: left as it is now"),
    "annotate-not-linted": ("不是检查过的 Word 文档", "not a linted Word document"),
    "annotate-changed": ("文档在检查之后被改动,未加批注", "the document changed since it was linted; it was not annotated"),
    "annotate-mismatch": ("文档的文字与检查的文字不一致,未加批注", "the document's text does not match the linted text; it was not annotated"),
    "baseline-cannot-write": ("{path}:无法写入基线文件:{reason}", "{path}: cannot write baseline: {reason}"),
    "baseline-cannot-read": ("{path}:无法读取基线文件:{reason}", "{path}: cannot read baseline: {reason}"),
    "baseline-invalid": ("{path}:不是 govlint 基线文件:{reason}", "{path}: not a govlint baseline: {reason}"),
    "baseline-not-utf8": ("不是 UTF-8 编码", "not UTF-8"),
    "baseline-bad-json": ("第 {line} 行的 JSON 无效:{error}", "invalid JSON at line {line}: {error}"),
    "baseline-bad-value": ("{error}", "{error}"),
    "baseline-too-deep": ("JSON 嵌套太深", "JSON nested too deeply"),
    "baseline-no-marker": ("缺少 \"govlint-baseline\": {format}", "expected \"govlint-baseline\": {format}"),
    "baseline-bad-files": (
        "\"files\" 应当把路径映射到 {{指纹: 次数}}",
        "\"files\" must map paths to {{fingerprint: count}}",
    ),
    "output-is-input": ("{output} 就是本次要读取的 {clash}:请另选输出路径", "{output} is {clash}, which this run reads: choose another output path"),
    "stdout-closed": ("标准输出已关闭:用 -o PATH 把结果写入文件", "standard output is closed: use -o PATH to write the report to a file"),
    "path-reason": ("{path}:{reason}", "{path}: {reason}"),
    "no-such-rule": ("没有规则 {code!r};`govlint rules` 列出所有规则", "no rule {code!r}; `govlint rules` lists them"),
    "expected-positive": ("应为 1 至 999999999 的整数,实为 {value!r}", "expected a whole number from 1 to 999999999, got {value!r}"),
    "expected-codes": ("应为规则代码或前缀,如 S,D301,实为 {value!r}", "expected rule codes or prefixes, e.g. S,D301, got {value!r}"),
    "expected-deadline": ("应为 月-日,如 03-31,实为 {value!r}", "expected MM-DD, e.g. 03-31, got {value!r}"),
    "deadline-02-29": ("{value!r} 不是每年都有的日期:二月底请写 02-28", "{value!r} is not a day of every year: use 02-28 for the end of February"),
    "unknown-selector": (
        "{where}:没有规则的代码或前缀是 {selector!r}{hint}",
        "{where}: no rule has the code or prefix {selector!r}{hint}",
    ),
    "did-you-mean": ("(是否想写 {code}?)", " (did you mean {code}?)"),
    "rules-lists-them": (";`govlint rules` 列出所有规则", "; `govlint rules` lists them"),
    # ---- why a file cannot be read (E001's reason)
    "load-binary": ("二进制文件(第 {where} 字节为 NUL)", "binary file (NUL byte at offset {where})"),
    "load-not-text": ("不是有效的 UTF-8、UTF-16 或 GB18030 文本({where})", "not valid UTF-8, UTF-16 or GB18030 text ({where})"),
    "load-directory": ("这是一个文件夹", "is a directory"),
    "load-where": ("第 {offset} 字节 0x{byte:02x}", "byte 0x{byte:02x} at offset {offset}"),
    "load-invalid-utf8": ("UTF-8 文件中有无效的 UTF-8({where})", "invalid UTF-8 ({where}) in an otherwise UTF-8 file"),
    "load-bom-invalid": (
        "有字节顺序标记,却不是有效的 {encoding} 文本({where})",
        "not valid {encoding} text despite its byte-order mark ({where})",
    ),
    "load-nul-in-text": ("二进制文件({encoding} 文本中有 NUL 字符)", "binary file (NUL character in {encoding} text)"),
    "load-control-character": (
        "二进制文件或未知编码(只能按 GB18030 解码,且含控制字符或私用区字符 U+{code:04X})",
        "binary file or unknown encoding (decodes only as GB18030, with control or private-use character U+{code:04X})",
    ),
    "load-rare-characters": (
        "二进制文件或未知编码,如 Big5(只能按 GB18030 解码,但 {total} 个字符中有 {count} 个生僻字)",
        "binary file or unknown encoding such as Big5 (decodes only as GB18030, but {count} of {total} characters are rare)",
    ),
    "load-not-regular": ("不是普通文件({kind})", "not a regular file ({kind})"),
    "kind-pipe": ("FIFO 或管道;标准输入请用 - 作为路径", "a FIFO or pipe; use - for standard input"),
    "kind-device": ("设备", "a device"),
    "kind-socket": ("套接字", "a socket"),
    "kind-other": ("既不是文件也不是文件夹", "neither a file nor a folder"),
    "load-unlistable": ("无法列出文件夹内容:{reason}", "folder cannot be listed: {reason}"),
    "load-too-large": ("文件太大({size:.1f} MB,超过 {limit} MB 的上限)", "file too large ({size:.1f} MB > {limit} MB limit)"),
    "load-too-large-read": ("文件太大(超过 {limit} MB 的上限)", "file too large (more than the {limit} MB limit)"),
    "load-too-slow": ("读取太慢(超过 {seconds} 秒的上限)", "too slow to load (more than the {seconds} s limit)"),
    "load-bad-limit": (
        "环境变量 {variable}={value!r} 无效:应为 1 至 {maximum} 的整数",
        "invalid {variable}={value!r}: expected a whole number from 1 to {maximum}",
    ),
    "load-docx-unavailable": ("无法读取 .docx 文件:{error}", "cannot read .docx files: {error}"),
    "load-docx-unreadable": ("无法读取的 .docx 文件({error})", "unreadable .docx file ({error})"),
    "load-docx-is-doc": (
        "后缀是 .docx,实为旧版 Word 格式(.doc):请另存为 .docx",
        "legacy Word format (.doc) despite the .docx suffix: save as .docx",
    ),
    "load-docx-not-zip": ("不是 .docx 文件(不是 ZIP 压缩包)", "not a .docx file (not a ZIP archive)"),
    "load-docx-too-many-parts": (
        ".docx 压缩包中的部件太多({count} 个,上限 {limit} 个)",
        "too many parts in the .docx archive ({count} > {limit} limit)",
    ),
    "load-unpacked-too-large": (
        "文件太大(解压后 {size:.0f} MB,超过 {limit} MB 的上限)",
        "file too large ({size:.0f} MB unpacked > {limit} MB limit)",
    ),
    "load-docx-part-twice": ("损坏的 .docx 文件(部件 {name!r} 在压缩包中出现两次)", "damaged .docx file (part {name!r} twice in the archive)"),
    "load-docx-entities": (
        "拒绝读取的 .docx 文件:部件 {name!r} 声明了 DOCTYPE 或实体,Word 从不这样写(XML 实体攻击)",
        "refused .docx file: part {name!r} declares a DOCTYPE or entities, which Word never writes (an XML entity attack)",
    ),
    "load-docx-encrypted-part": (".docx 压缩包中有加密的部件 {name!r}", "encrypted part {name!r} in the .docx archive"),
    "load-docx-compression": (
        "部件 {name!r} 的压缩方式({method})不受支持:Word 只用 deflate",
        "unsupported compression ({method}) of part {name!r}: Word only deflates",
    ),
    "load-zip-bomb": (
        "疑似压缩炸弹(部件 {name!r} 解压比为 {ratio:.0f}:1,超过 {limit}:1 的上限)",
        "suspected zip bomb (part {name!r} inflates {ratio:.0f}:1 > {limit}:1 limit)",
    ),
    "load-docx-part-misplaced": (
        "损坏的 .docx 文件(部件 {name!r} 不在压缩包目录所说的位置)",
        "damaged .docx file (part {name!r} not found where the archive says)",
    ),
    "load-docx-part-error": ("损坏的 .docx 文件(部件 {name!r}:{error})", "damaged .docx file (part {name!r}: {error})"),
    "load-docx-part-overflow": (
        "损坏的 .docx 文件(部件 {name!r} 解压后超过它声明的大小)",
        "damaged .docx file (part {name!r} inflates past its declared size)",
    ),
    "load-docx-part-corrupt": (
        "损坏的 .docx 文件(部件 {name!r} 不完整或已损坏)",
        "damaged .docx file (part {name!r} is cut short or corrupt)",
    ),
    "load-html-unreadable": ("无法读取的网页({error})", "unreadable HTML ({error})"),
    "load-html-too-large": ("网页太大(超过 {limit} 个元素)", "HTML page too large (more than {limit} elements)"),
    "load-pdf-no-header": ("不是 PDF 文件(没有 %PDF- 文件头)", "not a PDF file (no %PDF- header)"),
    "load-pdf-scanned": ("扫描版 PDF,没有文字层({count}):请先做文字识别(OCR)", "scanned PDF, no text layer ({count}): run OCR first"),
    "load-pdf-scanned-partly": (
        "扫描版 PDF,{pages} 页中只有 {text_pages} 页有文字层:请先做文字识别(OCR)",
        "scanned PDF, text layer on only {text_pages} of {pages} pages: run OCR first",
    ),
    "load-pdf-unavailable": ("无法读取 PDF 文件:{error}", "cannot read PDF files: {error}"),
    "load-pdf-password": ("加密的 PDF:需要密码才能打开", "encrypted PDF: it needs a password to open"),
    "load-pdf-undecryptable": ("无法解密的加密 PDF({error})", "encrypted PDF that cannot be decrypted ({error})"),
    "load-pdf-unreadable": ("无法读取的 PDF 文件({error})", "unreadable PDF file ({error})"),
    "load-pdf-too-long": ("PDF 太长({pages} 页,上限 {limit} 页)", "PDF too long ({pages} pages > {limit} page limit)"),
    "load-pdf-too-long-found": ("PDF 太长(超过 {limit} 页的上限)", "PDF too long (more than the {limit} page limit)"),
    "load-pdf-streams-too-large": ("PDF 数据流太大(解压后超过 {limit} MB 的上限)", "PDF streams too large (they inflate past the {limit} MB limit)"),
    "load-pdf-fax": ("PDF 文字流按传真图像编码(CCITTFaxDecode):拒绝读取", "PDF text stream encoded as a fax image (CCITTFaxDecode): refused"),
    "load-pdf-page-operators": (
        "PDF 页面太复杂(一页超过 {limit} 个绘制指令)",
        "PDF page too complex (more than {limit} operators on one page)",
    ),
    "load-pdf-page-chars": ("PDF 页面太长(一页超过 {limit} 个字符)", "PDF page too long (more than {limit} characters on one page)"),
    "unread-doc": ("旧版 Word 格式(.doc):请另存为 .docx{convert}", "legacy Word format (.doc): save it as .docx{convert}"),
    "unread-wps": ("WPS 格式(.wps):请另存为 .docx{convert}", "WPS format (.wps): save it as .docx{convert}"),
    "unread-rtf": ("RTF 格式(.rtf):请另存为 .docx{convert}", "RTF format (.rtf): save it as .docx{convert}"),
    "unread-ofd": (
        "OFD 格式(.ofd):请用 OFD 阅读器(数科OFD阅读器、福昕)导出为 PDF,再检查 PDF",
        "OFD format (.ofd): export it as PDF from an OFD reader (数科OFD阅读器, 福昕), then lint the PDF",
    ),
    "unread-sheet": (
        "电子表格({suffix}):不读取;报告中的表格请放进报告正文(.docx)",
        "spreadsheet ({suffix}): not read; put the tables of a report into the report itself (.docx)",
    ),
    "convert": (
        "(用 Word、WPS,或:soffice --headless --convert-to docx {path})",
        " (Word, WPS, or: soffice --headless --convert-to docx {path})",
    ),
    # ---- config files
    "config-unreadable": ("{path}:无法读取配置文件:{reason}", "{path}: cannot read config file: {reason}"),
    "config-not-utf8": ("{path}:配置文件不是 UTF-8 编码", "{path}: config file is not UTF-8"),
    "config-invalid-toml": ("{path}:TOML 格式错误:{reason}", "{path}: invalid TOML: {reason}"),
    "config-no-table": ("{path}:没有 [tool.govlint] 表", "{path}: no [tool.govlint] table"),
    "config-not-table": ("{path}:[tool.govlint] 应当是一个表", "{path}: [tool.govlint] must be a table"),
    "config-invalid": ("{where}:{problem}", "{where}: {problem}"),
    "unknown-key": ("未知的键 '{key}'{hint}", "unknown key '{key}'{hint}"),
    "key-did-you-mean": ("(是否想写 '{key}'?)", " (did you mean '{key}'?)"),
    "known-keys": ("(可用的键:{keys})", " (known keys: {keys})"),
    "bad-value": ("键 '{key}' 的值无效:{reason}", "key '{key}': {reason}"),
    "as-is": ("{text}", "{text}"),
    "expected-one-of": ("应为 {choices_zh}", "Input should be {choices}"),
    # ---- --version
    "version-rules": ("规则集 {version}({count} 条内置规则)", "rules {version} ({count} built-in rules)"),
    # ---- the rules table and explain
    "col-code": ("代码", "code"),
    "col-name": ("名称", "name"),
    "col-severity": ("级别", "severity"),
    "col-profiles": ("适用", "profiles"),
    "col-summary": ("说明", "summary"),
    "all-profiles": ("全部", "all"),
    "explain-what": ("## 说明", "## What it does"),
    "explain-source": ("## 依据", "## Source"),
    "explain-fails": ("## 示例(不通过)", "## Example (fails)"),
    "explain-passes": ("## 应写作", "## Use instead"),
    "explain-fix": ("## 修改建议", "## Fix"),
    "explain-profiles": ("适用 profile:{profiles}", "Profiles: {profiles}"),
    "explain-file": ("定义于:{file}", "Defined in: {file}"),
    # ---- help: descriptions
    "desc-check": (
        "govlint {version}:检查法治政府建设年度报告等政府报告。命令:check(默认)、rules、explain 代码、"
        "facts 路径、annotate 报告.docx、schema、serve(网页审查台)。",
        "govlint {version}: lint Chinese government annual reports (法治政府建设年度报告). "
        "Commands: check (default), rules, explain CODE, facts PATH, annotate REPORT.docx, schema, serve (review desk).",
    ),
    "desc-annotate": (
        "写出 Word 报告的副本,在每个问题所指的文字上加一条批注。报告本身不会改动。",
        "Write a copy of a Word report with one comment per finding, anchored on the characters it is "
        "about. The report itself is never changed.",
    ),
    "desc-schema": ("输出规则文件的 JSON Schema,供编辑器使用(见 docs/rules.md)。", "Print the JSON Schema of rule files, for editors (see docs/rules.md)."),
    "desc-rules": ("列出所有规则。", "List every rule."),
    "desc-explain": ("解释一条规则。", "Explain one rule."),
    "desc-facts": ("显示 govlint 从报告中提取的数字。", "Show the numeric claims govlint extracted from reports."),
    # ---- help: options
    "help-paths": ("报告文件或文件夹(.txt .md .docx .html .pdf)", "report files or folders (.txt .md .docx .html .pdf)"),
    "help-format": (
        "输出格式:human(默认)、html(供审核人员使用的审阅页:报告原文标出问题,附各部分核对清单;配合 -o review.html)、"
        "json、sarif(GitHub 代码扫描)、github(Actions 注释)、junit(GitLab、Jenkins)、concise(每个问题一行)、"
        "xlsx(汇总表:每份报告一行、每个问题一行;须配合 -o 汇总.xlsx)或 csv(汇总表的第一张表)",
        "human (default), html (a review page for a reviewer: each report's text with its findings marked "
        "and a checklist of the parts; use with -o review.html), json, sarif (GitHub code scanning), "
        "github (Actions annotations), junit (GitLab, Jenkins), concise (one line per finding), "
        "xlsx (the summary sheet: a row per report, a row per finding; needs -o summary.xlsx) "
        "or csv (the summary sheet's first table)",
    ),
    "help-list-format": ("输出格式:human(表格,默认)或 json", "human (a table, default) or json"),
    "help-statistics": ("按代码统计问题数,不列出问题", "print the number of findings per code instead of the findings"),
    "help-output-file": ("把结果写入 PATH,而不是标准输出", "write the report to PATH instead of standard output"),
    "help-fix": (
        "自动修复 .txt 和 .md 文件中确定无误的问题(T403 拼音、只含网页元素的 T402 行),再报告其余问题",
        "fix what is certain in .txt and .md files (T403 pinyin, T402 lines that are nothing but page chrome), "
        "then report what remains",
    ),
    "help-diff": ("显示 --fix 会做的改动,不写文件;有改动时退出码为 1", "print the changes --fix would make, without writing; exit 1 if there are any"),
    "help-force-exclude": (
        "命令行上直接给出的路径也按 exclude(及默认排除的 README*、docs 等)跳过,pre-commit 钩子即如此",
        "apply exclude (and the default excludes: README*, docs …) to the paths named on the command line "
        "too, as pre-commit's hook does",
    ),
    "help-allow-empty": ("路径中没有报告文件时以 0 退出(默认以 2 退出:什么也没检查)", "exit 0 when the paths hold no report file (default: exit 2, nothing was checked)"),
    "help-force": ("配合 --fix:有多个硬链接(只改这个名字)或无写权限的文件也修复", "with --fix: also fix files with several hard links (this name only) or without write permission"),
    "help-stdin-filename": (
        "路径为 - 时从标准输入读取报告,以 NAME 作为它的文件名:用于显示、查找配置和 per-file-ignores,并按后缀判断格式",
        "with the path -, the report is read from standard input: NAME is its file name, shown, used to find "
        "its config and per-file-ignores, and whose suffix gives its format",
    ),
    "help-color": ("是否着色:auto(默认,终端中着色)、always、never", "colour: auto (default: in a terminal), always or never"),
    "help-previous": ("上一年度的报告:只作为同一单位本年度报告的比对对象(N210、S111、S112),其本身的问题不报告;可多次给出", "last year's report: compared with this year's report of the same organisation (N210, S111, S112), its own findings not reported; may be repeated"),
    "help-jobs": ("用 N 个进程检查(默认:全部 CPU 核;文件少时只用一个)", "lint in N processes (default: all cores; small runs stay in one)"),
    "help-baseline": ("只报告不在此基线文件中的问题", "report only findings that are not in this baseline file"),
    "help-write-baseline": ("把当前的问题记入 PATH 并以 0 退出(见 --baseline)", "record today's findings in PATH and exit 0 (see --baseline)"),
    "help-version": ("显示 govlint 及其规则集的版本并退出", "print govlint's version and its rule set's, then exit"),
    "help-help": ("显示本帮助并退出", "show this help message and exit"),
    "help-lang": ("界面和问题说明的语言:zh(默认)或 en", "language of the interface and the findings: zh (default) or en"),
    "help-rules": ("另外从 DIR 读取规则文件(可重复)", "also load rule files from DIR (repeatable)"),
    "help-no-cache": ("不用缓存,重新校验规则文件", "validate rule files afresh instead of using the cache"),
    "help-select": ("只检查这些代码或前缀,逗号分隔(S、T40、D301);取代配置文件的 select", "only these codes or prefixes, comma-separated (S, T40, D301); replaces the config file's select"),
    "help-extend-select": ("在已选规则之外再加上这些代码或前缀", "add these codes or prefixes to the selection"),
    "help-ignore": ("跳过这些代码或前缀", "skip these codes or prefixes"),
    "help-profile": (
        "annual:法治政府建设年度报告;summary:政法/法治建设工作总结,不检查年度报告的结构和日期规则;"
        "disclosure:政府信息公开工作年度报告。不指定时按标题选择(标题含“信息公开工作年度报告”为 disclosure),否则为 annual",
        "annual: 法治政府建设年度报告; summary: 政法/法治建设工作总结, without the annual report's structure and date "
        "rules; disclosure: 政府信息公开工作年度报告. Not given: chosen from the title (“信息公开工作年度报告”: "
        "disclosure), else annual",
    ),
    "help-fail-on": ("达到此级别的问题使退出码为 1(默认 error)", "lowest severity that makes the exit status 1 (default error)"),
    "help-deadline": ("报告年度次年公开的截止日期,月-日(默认 03-31)", "last day of publication in the year after the report year (default 03-31)"),
    "help-config": (
        "所有文件都用这个配置文件,不再查找 govlint.toml、.govlint.toml 或 pyproject.toml [tool.govlint]",
        "use this config file for every file instead of discovering govlint.toml, .govlint.toml or "
        "pyproject.toml [tool.govlint]",
    ),
    "help-annotate-output": ("批注副本的保存位置(默认:报告旁的 REPORT.reviewed.docx)", "where to write the annotated copy (default: REPORT.reviewed.docx beside it)"),
    "help-explain-code": ("规则代码,如 S103", "a rule code such as S103"),
    "help-annotate-path": ("要加批注的 Word 报告", "the Word report to comment"),
    "help-facts-paths": ("报告文件或文件夹", "report files or folders"),
    # ---- serve: the review desk
    "desc-serve": (
        "在本机打开网页审查台:把收到的报告拖进浏览器,得到问题清单、批注版 Word 和 JSON。报告不离开本机。",
        "Open the review desk, a local web page: drop the reports you received and get the findings, the "
        "annotated Word copies and the JSON. The reports never leave this machine.",
    ),
    "help-port": ("端口(默认 8765;0 表示任选一个空闲端口)", "port (default 8765; 0 picks a free one)"),
    "help-host": (
        "监听地址(默认 127.0.0.1,仅本机可访问);其他地址必须同时给出 --token",
        "address to listen on (default 127.0.0.1, this machine only); any other needs --token",
    ),
    "help-token": ("访问令牌(至少 16 个字符):每个请求都须带上", "access token (16 characters or more) every request must carry"),
    "help-no-browser": ("不自动打开浏览器", "do not open a browser"),
    "help-serve-jobs": ("同时检查的报告数(默认:CPU 核数)", "reports checked at once (default: the number of CPUs)"),
    "serve-needs-extra": (
        "审查台需要可选组件 serve(缺少 {package}):在 govlint 源码目录运行 pip install '.[serve]',"
        "或 pip install starlette uvicorn python-multipart",
        "the review desk needs the optional extra serve ({package} is missing): pip install '.[serve]' in "
        "govlint's source folder, or pip install starlette uvicorn python-multipart",
    ),
    "serve-needs-token": (
        "监听 {host} 会让其他计算机访问审查台:请同时给出 --token(至少 16 个字符),或去掉 --host",
        "listening on {host} lets other computers reach the desk: give --token (16 characters or more) too, "
        "or leave out --host",
    ),
    "serve-short-token": ("--token 至少要 16 个字符", "--token needs 16 characters or more"),
    "serve-cannot-listen": ("无法监听 {host}:{port}:{reason}", "cannot listen on {host}:{port}: {reason}"),
    "serve-running": ("govlint 审查台已在运行:{url}", "the govlint review desk is already running: {url}"),
    "serve-started": ("govlint 审查台已启动:{url}(按 Ctrl+C 停止)", "govlint review desk: {url} (Ctrl+C stops it)"),
}

# argparse's own phrases (its gettext message ids) in Chinese.
ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法:",
    "options": "选项",
    "positional arguments": "参数",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 错误:%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s:%(message)s",
    "the following arguments are required: %s": "缺少参数:%s",
    "unrecognized arguments: %s": "无法识别的参数:%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r(可选:%(choices)s)",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值:%(value)r",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ambiguous option: %(option)s could match %(matches)s": "有歧义的选项:%(option)s 可能是 %(matches)s",
    "one of the arguments %s is required": "需要以下参数之一:%s",
    "ignored explicit argument %r": "忽略了多余的值 %r",
}


def say(key: str, lang: str, /, **args: object) -> str:
    """The catalogue's text for ``key`` in ``lang``, its fields filled from ``args``; an
    argument given as a dict has a value per language (a reason said in each)."""
    zh, en = CATALOGUE[key]
    filled = {name: value[lang] if isinstance(value, dict) else value for name, value in args.items()}
    return (en if lang == "en" else zh).format(**filled)


class SaidError(Exception):
    """An error whose words are the catalogue's, in both languages: ``str()`` and
    ``reason`` are the English line, ``text(lang)`` the line in ``lang``."""

    def __init__(self, reason: str, zh: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.zh = zh

    @classmethod
    def said(cls, key: str, /, **args: object) -> Self:
        """The error of catalogue entry ``key``; ``args`` as for :func:`say`."""
        return cls(say(key, "en", **args), say(key, "zh", **args))

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" and self.zh else self.reason

    def in_both(self) -> dict[str, str]:
        """The reason per language, as an argument of :func:`say` or :meth:`said`."""
        return {"en": self.reason, "zh": self.text("zh")}


_OS_ZH = {
    errno.ENOENT: "文件或文件夹不存在", errno.EACCES: "没有权限", errno.EPERM: "没有权限",
    errno.EISDIR: "这是一个文件夹", errno.ENOTDIR: "路径中有一段不是文件夹", errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "只读文件系统", errno.ELOOP: "符号链接循环",
}  # fmt: skip


def os_reason(e: OSError, lang: str) -> str:
    """Why an operating-system call failed, in ``lang`` (Chinese for the common causes)."""
    if lang == "zh" and e.errno in _OS_ZH:
        return _OS_ZH[e.errno]
    reason = e.strerror or type(e).__name__
    return reason[:1].lower() + reason[1:]


def ui_lang(argv: Sequence[str], environ: Mapping[str, str]) -> Lang:
    """The interface language: ``--lang`` on the command line, else ``GOVLINT_LANG``, else
    English under an English locale, else Chinese."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg == "--lang=en" else "zh"
    if (chosen := environ.get("GOVLINT_LANG")) in ("zh", "en"):
        return chosen  # type: ignore[return-value]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := environ.get(name):
            return "en" if value.startswith("en") else "zh"
    return "zh"
