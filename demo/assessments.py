# ruff: noqa: E501 (question texts are data: one line each reads better than split strings)
"""The demo question bank: approved questions in Vietnamese across the four core domains
(metrology, industrial property, radiation safety, radio frequencies) in every question type,
each with an explanation and its legal basis, one certification exam per domain on the
domain's demo course and one practice exam per course, published. A second run changes
nothing."""

import zlib
from datetime import date

from assessments.models import BlueprintCell, Exam, ExamLevelThreshold, Question
from assessments.services import exam_publish, question_version_create

LUAT_DO_LUONG = ("Luật Đo lường số 04/2011/QH13", date(2012, 7, 1))
TT_NHOM2 = ("Thông tư 23/2013/TT-BKHCN về phương tiện đo nhóm 2", date(2013, 11, 15))
TT_DONG_GOI = ("Thông tư 21/2014/TT-BKHCN về đo lường đối với hàng đóng gói sẵn", date(2014, 9, 1))
LUAT_CHAT_LUONG = ("Luật Chất lượng sản phẩm, hàng hóa số 05/2007/QH12", date(2008, 7, 1))
LUAT_SHTT = ("Luật Sở hữu trí tuệ số 50/2005/QH11, sửa đổi 2022", date(2023, 1, 1))
ND_SHCN = (
    "Nghị định 99/2013/NĐ-CP xử phạt vi phạm hành chính về sở hữu công nghiệp",
    date(2013, 10, 15),
)
LUAT_NLNT = ("Luật Năng lượng nguyên tử số 18/2008/QH12", date(2009, 1, 1))
ND_BUC_XA = ("Nghị định 142/2020/NĐ-CP về tiến hành công việc bức xạ", date(2021, 1, 20))
TT_LIEU = ("Thông tư 19/2012/TT-BKHCN về kiểm soát và bảo đảm an toàn bức xạ", date(2012, 12, 25))
LUAT_TAN_SO = ("Luật Tần số vô tuyến điện số 42/2009/QH12, sửa đổi 2022", date(2023, 7, 1))

TF = "truefalse"


def _opts(right, wrong, feedback=None, *, stem=""):
    """Choice options in an authoring order that does not give the key away: the right answers
    are written first, then rotated by an amount fixed by the stem (the same on every seed)."""
    right = [right] if isinstance(right, str) else right
    options = [{"text": t, "correct": True} for t in right]
    options += [{"text": t, "correct": False} for t in wrong]
    for key, text in (feedback or {}).items():
        options["abcdefgh".index(key)]["feedback"] = text
    turn = zlib.crc32(stem.encode()) % len(options)
    options = options[turn:] + options[:turn]
    for index, option in enumerate(options):
        option["key"] = "abcdefgh"[index]
    return options


def single(name, code, difficulty, stem, right, wrong, explanation, law, article, feedback=None):
    return dict(
        name=name, code=code, difficulty=difficulty, qtype="single", stem=stem,
        options=_opts(right, wrong, feedback, stem=stem), explanation=explanation, law=law, article=article,
    )  # fmt: skip


def multiple(name, code, difficulty, stem, right, wrong, explanation, law, article):
    return dict(
        name=name, code=code, difficulty=difficulty, qtype="multiple", stem=stem,
        options=_opts(right, wrong, stem=stem), explanation=explanation, law=law, article=article,
    )  # fmt: skip


def truefalse(name, code, difficulty, stem, truth: bool, explanation, law, article):
    options = [
        {"key": "true", "text": "Đúng", "correct": truth},
        {"key": "false", "text": "Sai", "correct": not truth},
    ]
    return dict(
        name=name, code=code, difficulty=difficulty, qtype=TF, stem=stem, options=options,
        explanation=explanation, law=law, article=article,
    )  # fmt: skip


def numeric(name, code, difficulty, stem, value, tolerance, units, explanation, law, article):
    data = {
        "answers": [{"value": value, "tolerance": tolerance, "fraction": 1.0, "feedback": ""}],
        "units": [{"unit": u, "multiplier": m} for u, m in units],
        "unit_required": False,
    }
    return dict(
        name=name, code=code, difficulty=difficulty, qtype="numeric", stem=stem, data=data,
        explanation=explanation, law=law, article=article,
    )  # fmt: skip


def shorttext(name, code, difficulty, stem, answers, explanation, law, article):
    data = {
        "answers": [{"text": a, "fraction": 1.0, "feedback": ""} for a in answers],
        "case_sensitive": False,
        "ignore_diacritics": True,
    }
    return dict(
        name=name, code=code, difficulty=difficulty, qtype="shorttext", stem=stem, data=data,
        explanation=explanation, law=law, article=article,
    )  # fmt: skip


def matching(name, code, difficulty, stem, pairs, distractors, explanation, law, article):
    data = {
        "pairs": [
            {"key": f"p{i}", "prompt": p, "answer": a} for i, (p, a) in enumerate(pairs, start=1)
        ],
        "distractors": distractors,
    }
    return dict(
        name=name, code=code, difficulty=difficulty, qtype="matching", stem=stem, data=data,
        explanation=explanation, law=law, article=article,
    )  # fmt: skip


# fmt: off
QUESTIONS = [
    # --- metrology ------------------------------------------------------------------------
    # MET-01 easy: single choice and true/false only (the "Đo lường cơ bản" exam draws them and
    # the browser test answers them by the option's label)
    single("MET-01 cân bàn chợ", "MET-01", "easy",
           "<p>Cân bàn dùng trong mua bán tại chợ thuộc loại phương tiện đo nào?</p>",
           "Phương tiện đo nhóm 2", ["Phương tiện đo nhóm 1", "Không phải phương tiện đo"],
           "<p>Cân dùng trong mua bán là phương tiện đo nhóm 2, phải kiểm soát về đo lường.</p>",
           LUAT_DO_LUONG, "Điều 16"),
    single("MET-01 chu kỳ kiểm định", "MET-01", "easy",
           "<p>Phương tiện đo nhóm 2 đang sử dụng phải được làm gì theo chu kỳ?</p>",
           "Kiểm định", ["Đăng ký nhãn hiệu", "Cấp phép tần số"],
           "<p>Phương tiện đo nhóm 2 phải được kiểm định ban đầu, định kỳ và sau sửa chữa.</p>",
           LUAT_DO_LUONG, "Điều 16"),
    single("MET-01 tem kiểm định", "MET-01", "easy",
           "<p>Dấu hiệu nào cho biết một chiếc cân đã được kiểm định còn hiệu lực?</p>",
           "Tem hoặc dấu kiểm định còn thời hạn", ["Hóa đơn mua cân", "Nhãn của nhà sản xuất"],
           "<p>Kết quả kiểm định được thể hiện bằng dấu, tem kiểm định hoặc giấy chứng nhận.</p>",
           TT_NHOM2, "Điều 5"),
    single("MET-01 xử lý cân sai", "MET-01", "easy",
           "<p>Phát hiện cân của hộ kinh doanh sai quá giới hạn cho phép, cán bộ xã cần làm gì trước tiên?</p>",
           "Lập biên bản và hướng dẫn đưa cân đi kiểm định lại",
           ["Bỏ qua nếu sai ít", "Tịch thu toàn bộ hàng hóa"],
           "<p>Cân sai quá giới hạn không được dùng; lập biên bản và yêu cầu kiểm định lại.</p>",
           LUAT_DO_LUONG, "Điều 16"),
    truefalse("MET-01 đúng sai", "MET-01", "easy",
              "<p>Đúng hay sai: cân đồng hồ lò xo dùng trong mua bán không cần kiểm định.</p>",
              False,
              "<p>Cân đồng hồ lò xo dùng trong mua bán là phương tiện đo nhóm 2, phải kiểm định.</p>",
              TT_NHOM2, "Điều 4"),
    single("MET-01 cơ quan kiểm định cân chợ", "MET-01", "easy",
           "<p>Cân đồng hồ lò xo dùng trong mua bán ở chợ phải được kiểm định bởi ai?</p>",
           "Tổ chức kiểm định đã được chỉ định",
           ["Ban quản lý chợ tự kiểm tra", "Người bán hàng tự hiệu chỉnh", "Công an xã"],
           "<p>Phương tiện đo nhóm 2 chỉ được kiểm định bởi tổ chức kiểm định được chỉ định.</p>",
           LUAT_DO_LUONG, "Điều 17"),
    truefalse("MET-01 tem kiểm định hết hạn", "MET-01", "easy",
              "<p>Cân có tem kiểm định đã hết hạn vẫn được phép dùng để mua bán nếu cân còn chạy tốt.</p>",
              False,
              "<p>Phương tiện đo nhóm 2 phải còn hiệu lực kiểm định khi sử dụng.</p>",
              TT_NHOM2, "Điều 4"),
    single("MET-01 dấu hiệu cân gian lận", "MET-01", "easy",
           "<p>Dấu hiệu nào cho thấy cân có thể đã bị can thiệp trái phép?</p>",
           "Niêm phong, kẹp chì bị phá hoặc không còn nguyên vẹn",
           ["Mặt cân có vết trầy xước nhẹ", "Cân được đặt trên mặt bàn phẳng", "Vỏ cân đã bạc màu"],
           "<p>Dấu kiểm định, niêm phong bảo đảm không ai điều chỉnh được cơ cấu đo.</p>",
           TT_NHOM2, "Điều 5"),
    # MET-01 medium and hard: the other types
    numeric("MET-01 sai số cân kiểm tra", "MET-01", "medium",
            "<p>Đặt quả cân chuẩn 2 kg lên cân đồng hồ, cân chỉ 2,05 kg. Sai số của cân là bao nhiêu?</p>",
            0.05, 0.001, [("kg", 1), ("g", 1000)],
            "<p>Sai số = giá trị chỉ thị − giá trị chuẩn = 2,05 − 2 = 0,05 kg (50 g).</p>",
            TT_NHOM2, "Phụ lục"),
    numeric("MET-01 sai số tương đối", "MET-01", "hard",
            "<p>Cân chỉ 10,2 kg khi cân quả cân chuẩn 10 kg. Sai số tương đối của cân là bao nhiêu phần trăm?</p>",
            2, 0.01, [("%", 1)],
            "<p>Sai số tương đối = (10,2 − 10) / 10 × 100 % = 2 %.</p>",
            TT_NHOM2, "Phụ lục"),
    multiple("MET-01 phương tiện đo nhóm 2", "MET-01", "medium",
             "<p>Những phương tiện nào sau đây thuộc phương tiện đo nhóm 2 phải kiểm định?</p>",
             ["Cân dùng trong mua bán", "Cột đo xăng dầu", "Công tơ điện"],
             ["Thước kẻ học sinh", "Đồng hồ treo tường"],
             "<p>Danh mục phương tiện đo nhóm 2 gồm cân thương mại, cột đo xăng dầu, công tơ điện, đồng hồ nước…</p>",
             TT_NHOM2, "Phụ lục"),
    matching("MET-01 cấp chính xác cân", "MET-01", "hard",
             "<p>Ghép mỗi loại cân với cấp chính xác thường gặp.</p>",
             [("Cân phân tích", "Cấp I"), ("Cân kỹ thuật", "Cấp II"), ("Cân thông dụng ở chợ", "Cấp III")],
             ["Cấp V"],
             "<p>Cấp chính xác giảm dần từ cân phân tích (I) đến cân thông dụng (III, IIII).</p>",
             LUAT_DO_LUONG, "Điều 16"),
    shorttext("MET-01 tên hoạt động định kỳ", "MET-01", "medium",
              "<p>Hoạt động đánh giá, xác nhận đặc tính kỹ thuật đo lường của phương tiện đo theo yêu cầu kỹ thuật đo lường gọi là gì? (hai chữ)</p>",
              ["kiểm định"],
              "<p>Đó là kiểm định (Luật Đo lường, Điều 3 khoản 9).</p>",
              LUAT_DO_LUONG, "Điều 3"),
    # MET-02 hàng đóng gói sẵn
    numeric("MET-02 lượng thiếu gói đường", "MET-02", "medium",
            "<p>Gói đường ghi định lượng 500 g, cân kiểm tra được 488 g. Lượng thiếu của gói là bao nhiêu?</p>",
            12, 0.5, [("g", 1), ("kg", 0.001)],
            "<p>Lượng thiếu = 500 g − 488 g = 12 g; so sánh với lượng thiếu cho phép của nhóm định lượng.</p>",
            TT_DONG_GOI, "Phụ lục I"),
    single("MET-02 ghi định lượng", "MET-02", "easy",
           "<p>Trên nhãn hàng đóng gói sẵn, định lượng phải được ghi như thế nào?</p>",
           "Bằng đơn vị đo pháp định, kèm số và ký hiệu đơn vị",
           ["Chỉ cần ghi số, không cần đơn vị", "Ghi bằng đơn vị tùy chọn của cơ sở", "Không bắt buộc ghi"],
           "<p>Định lượng ghi bằng đơn vị đo pháp định, đúng cách trình bày quy định.</p>",
           TT_DONG_GOI, "Điều 5"),
    truefalse("MET-02 kiểm tra tại chợ", "MET-02", "easy",
              "<p>Cơ quan quản lý có thể kiểm tra định lượng hàng đóng gói sẵn đang lưu thông tại chợ, cửa hàng.</p>",
              True,
              "<p>Kiểm tra nhà nước về đo lường được tiến hành cả ở khâu lưu thông.</p>",
              TT_DONG_GOI, "Điều 9"),
    multiple("MET-02 nội dung kiểm tra", "MET-02", "medium",
             "<p>Kiểm tra nhà nước về đo lường đối với hàng đóng gói sẵn gồm những nội dung nào?</p>",
             ["Kiểm tra lượng của hàng đóng gói sẵn", "Kiểm tra việc ghi định lượng trên nhãn"],
             ["Kiểm tra giá bán lẻ", "Kiểm tra giấy phép kinh doanh rượu"],
             "<p>Hai nội dung chính: lượng thực tế và cách ghi định lượng.</p>",
             TT_DONG_GOI, "Điều 9"),
    # MET-03 chất lượng hàng hóa
    matching("MET-03 nhóm hàng hóa", "MET-03", "medium",
             "<p>Ghép mỗi loại hàng hóa với cách quản lý chất lượng phù hợp.</p>",
             [("Mũ bảo hiểm cho người đi mô tô", "Hàng hóa nhóm 2, phải có dấu hợp quy CR"),
              ("Gạo bán lẻ không đóng gói", "Hàng hóa nhóm 1, theo tiêu chuẩn công bố")],
             ["Hàng cấm lưu thông"],
             "<p>Hàng hóa nhóm 2 có khả năng gây mất an toàn nên phải chứng nhận/công bố hợp quy.</p>",
             LUAT_CHAT_LUONG, "Điều 3"),
    single("MET-03 dấu hợp quy", "MET-03", "easy",
           "<p>Dấu CR trên sản phẩm cho biết điều gì?</p>",
           "Sản phẩm phù hợp quy chuẩn kỹ thuật quốc gia",
           ["Sản phẩm được nhập khẩu", "Sản phẩm đạt giải thưởng chất lượng", "Sản phẩm đã nộp thuế"],
           "<p>Dấu hợp quy CR thể hiện sự phù hợp với quy chuẩn kỹ thuật tương ứng.</p>",
           LUAT_CHAT_LUONG, "Điều 34"),
    truefalse("MET-03 biên bản kiểm tra", "MET-03", "medium",
              "<p>Khi phát hiện hàng hóa không có dấu hợp quy theo quy định, cán bộ kiểm tra phải lập biên bản và báo cáo cơ quan có thẩm quyền.</p>",
              True,
              "<p>Vi phạm được ghi nhận bằng biên bản để xử lý theo quy định.</p>",
              LUAT_CHAT_LUONG, "Điều 46"),

    # --- industrial property ----------------------------------------------------------------
    single("IP-01 thời hạn bảo hộ nhãn hiệu", "IP-01", "easy",
           "<p>Giấy chứng nhận đăng ký nhãn hiệu có hiệu lực bao lâu kể từ ngày nộp đơn?</p>",
           "10 năm, gia hạn được nhiều lần",
           ["5 năm, không gia hạn", "20 năm, không gia hạn", "Vô thời hạn"],
           "<p>Nhãn hiệu được bảo hộ 10 năm từ ngày nộp đơn và có thể gia hạn liên tiếp, mỗi lần 10 năm.</p>",
           LUAT_SHTT, "Điều 93 khoản 6", {"b": "Nhãn hiệu được gia hạn nhiều lần."}),
    truefalse("IP-01 nộp đơn trực tuyến", "IP-01", "easy",
              "<p>Người dân có thể nộp đơn đăng ký nhãn hiệu trực tuyến tới Cục Sở hữu trí tuệ.</p>",
              True,
              "<p>Cục Sở hữu trí tuệ tiếp nhận đơn trực tuyến qua cổng dịch vụ công.</p>",
              LUAT_SHTT, "Điều 89"),
    single("IP-01 nơi nộp đơn", "IP-01", "easy",
           "<p>Đơn đăng ký nhãn hiệu cho sản phẩm của hộ kinh doanh được nộp ở đâu?</p>",
           "Cục Sở hữu trí tuệ",
           ["UBND xã", "Sở Công Thương", "Chi cục Thuế"],
           "<p>Cục Sở hữu trí tuệ là cơ quan xác lập quyền sở hữu công nghiệp.</p>",
           LUAT_SHTT, "Điều 89"),
    multiple("IP-01 dấu hiệu không được bảo hộ", "IP-01", "medium",
             "<p>Dấu hiệu nào sau đây không được bảo hộ là nhãn hiệu?</p>",
             ["Quốc kỳ, quốc huy của Việt Nam", "Dấu hiệu chỉ dùng để mô tả chung loại hàng hóa"],
             ["Hình con trâu cách điệu kèm chữ cái riêng", "Tên riêng do cơ sở tự đặt"],
             "<p>Quốc kỳ, quốc huy và dấu hiệu mô tả thông thường không có khả năng phân biệt hoặc bị cấm.</p>",
             LUAT_SHTT, "Điều 73, 74"),
    shorttext("IP-01 ký hiệu nhãn hiệu đã đăng ký", "IP-01", "medium",
              "<p>Ký hiệu quốc tế thường dùng bên cạnh nhãn hiệu đã được cấp văn bằng bảo hộ là gì? (một chữ cái trong vòng tròn, gõ chữ cái)</p>",
              ["R", "®"],
              "<p>Ký hiệu ® (registered) cho biết nhãn hiệu đã được đăng ký.</p>",
              LUAT_SHTT, "Điều 87"),
    # IP-02 hàng xâm phạm
    single("IP-02 hàng giả mạo nhãn hiệu", "IP-02", "easy",
           "<p>Hàng hóa mang dấu hiệu trùng với nhãn hiệu đang được bảo hộ mà không được phép của chủ sở hữu là:</p>",
           "Hàng hóa giả mạo nhãn hiệu",
           ["Hàng hóa nhập khẩu song song", "Hàng hóa kém chất lượng", "Hàng hóa tồn kho"],
           "<p>Đây là hàng giả mạo nhãn hiệu theo Điều 213.</p>",
           LUAT_SHTT, "Điều 213"),
    truefalse("IP-02 xử lý hành chính", "IP-02", "medium",
              "<p>Hành vi xâm phạm quyền sở hữu công nghiệp có thể bị xử phạt vi phạm hành chính, kèm buộc loại bỏ yếu tố vi phạm.</p>",
              True,
              "<p>Nghị định 99/2013/NĐ-CP quy định hình thức phạt chính và biện pháp khắc phục hậu quả.</p>",
              ND_SHCN, "Điều 11"),
    multiple("IP-02 việc cán bộ xã làm", "IP-02", "medium",
             "<p>Khi phát hiện cửa hàng bán hàng nghi giả mạo nhãn hiệu, cán bộ xã nên làm gì?</p>",
             ["Ghi nhận thông tin, chụp ảnh hàng hóa", "Báo cáo cơ quan có thẩm quyền xử lý"],
             ["Tự ý tịch thu và tiêu hủy hàng", "Yêu cầu chủ cửa hàng nộp tiền phạt tại chỗ cho cán bộ"],
             "<p>Cán bộ xã ghi nhận, báo cáo; xử lý do người có thẩm quyền thực hiện theo thủ tục.</p>",
             ND_SHCN, "Điều 15"),
    matching("IP-02 đối tượng và hành vi", "IP-02", "hard",
             "<p>Ghép mỗi đối tượng sở hữu công nghiệp với hành vi xâm phạm tương ứng.</p>",
             [("Nhãn hiệu", "Sử dụng dấu hiệu trùng cho hàng hóa trùng"),
              ("Kiểu dáng công nghiệp", "Sản xuất sản phẩm có hình dáng không khác biệt đáng kể"),
              ("Chỉ dẫn địa lý", "Dùng tên địa danh cho sản phẩm không có nguồn gốc từ vùng đó")],
             ["Ghi giá bán cao hơn niêm yết"],
             "<p>Mỗi đối tượng có hành vi xâm phạm riêng (Điều 126, 127, 129).</p>",
             LUAT_SHTT, "Điều 126–129"),
    # IP-03 chỉ dẫn địa lý, nhãn hiệu tập thể
    single("IP-03 chủ sở hữu chỉ dẫn địa lý", "IP-03", "medium",
           "<p>Chủ sở hữu chỉ dẫn địa lý của Việt Nam là ai?</p>",
           "Nhà nước",
           ["Hợp tác xã nộp đơn", "Hộ sản xuất đầu tiên", "Hiệp hội ngành hàng"],
           "<p>Nhà nước là chủ sở hữu chỉ dẫn địa lý; tổ chức được trao quyền quản lý.</p>",
           LUAT_SHTT, "Điều 121 khoản 4"),
    truefalse("IP-03 thời hạn chỉ dẫn địa lý", "IP-03", "medium",
              "<p>Chỉ dẫn địa lý được bảo hộ vô thời hạn kể từ ngày cấp văn bằng.</p>",
              True,
              "<p>Giấy chứng nhận đăng ký chỉ dẫn địa lý có hiệu lực vô thời hạn.</p>",
              LUAT_SHTT, "Điều 93 khoản 7"),
    multiple("IP-03 nhãn hiệu tập thể", "IP-03", "hard",
             "<p>Những điều nào đúng với nhãn hiệu tập thể?</p>",
             ["Dùng để phân biệt hàng hóa của thành viên tổ chức với của người khác",
              "Phải có quy chế sử dụng nhãn hiệu tập thể"],
             ["Chỉ một cá nhân được sử dụng", "Không cần đăng ký"],
             "<p>Nhãn hiệu tập thể thuộc tổ chức tập thể, kèm quy chế sử dụng.</p>",
             LUAT_SHTT, "Điều 4 khoản 17, Điều 105"),
    shorttext("IP-03 tên đối tượng bảo hộ", "IP-03", "medium",
              "<p>Dấu hiệu dùng để chỉ sản phẩm có nguồn gốc từ khu vực, địa phương cụ thể (như “Vải thiều Lục Ngạn”) gọi là gì?</p>",
              ["chỉ dẫn địa lý"],
              "<p>Đó là chỉ dẫn địa lý (Điều 4 khoản 22).</p>",
              LUAT_SHTT, "Điều 4 khoản 22"),
    single("IP-03 điều kiện chỉ dẫn địa lý", "IP-03", "hard",
           "<p>Điều kiện nào là bắt buộc để một sản phẩm được bảo hộ chỉ dẫn địa lý?</p>",
           "Danh tiếng, chất lượng chủ yếu do điều kiện địa lý của vùng quyết định",
           ["Sản phẩm được bán ra nước ngoài", "Sản phẩm có giá trị trên 1 tỷ đồng mỗi năm", "Sản phẩm do doanh nghiệp nhà nước sản xuất"],
           "<p>Điều 79: sản phẩm có nguồn gốc từ vùng và có danh tiếng, chất lượng do điều kiện địa lý quyết định.</p>",
           LUAT_SHTT, "Điều 79"),

    # --- radiation safety ------------------------------------------------------------------
    single("RAD-01 biển cảnh báo", "RAD-01", "easy",
           "<p>Biểu tượng ba cánh quạt trên nền vàng báo hiệu điều gì?</p>",
           "Có nguồn phóng xạ hoặc bức xạ ion hóa",
           ["Khu vực có điện cao thế", "Nơi chứa hóa chất dễ cháy", "Khu vực cấm hút thuốc"],
           "<p>Dấu hiệu cảnh báo bức xạ là hình ba cánh quạt.</p>",
           TT_LIEU, "Điều 11"),
    truefalse("RAD-01 nhặt nguồn lạ", "RAD-01", "easy",
              "<p>Khi phát hiện vật nghi là nguồn phóng xạ bị bỏ rơi, người dân nên nhặt lên mang về UBND xã.</p>",
              False,
              "<p>Không chạm vào, giữ khoảng cách, khoanh vùng và báo ngay cho cơ quan có thẩm quyền.</p>",
              LUAT_NLNT, "Điều 86"),
    single("RAD-01 báo cáo sự cố", "RAD-01", "easy",
           "<p>Khi phát hiện sự cố bức xạ trên địa bàn, UBND xã cần báo cáo ngay cho ai?</p>",
           "Sở Khoa học và Công nghệ và UBND cấp trên",
           ["Chỉ báo cho trưởng thôn", "Đợi đến cuộc họp giao ban tháng", "Báo cho doanh nghiệp thu mua phế liệu"],
           "<p>Báo cáo nhanh theo kế hoạch ứng phó sự cố bức xạ của địa phương.</p>",
           LUAT_NLNT, "Điều 83"),
    multiple("RAD-01 việc làm ngay", "RAD-01", "medium",
             "<p>Trong những việc sau, việc nào cần làm ngay khi nghi có nguồn phóng xạ bị thất lạc tại bãi phế liệu?</p>",
             ["Khoanh vùng, không cho người lại gần", "Báo cáo nhanh cho Sở Khoa học và Công nghệ", "Ghi lại thời gian, vị trí, người tiếp xúc"],
             ["Cắt rời vật nghi để kiểm tra bên trong", "Di chuyển vật nghi ra sông"],
             "<p>Cách ly – báo cáo – ghi nhận; không tự xử lý nguồn.</p>",
             LUAT_NLNT, "Điều 83, 86"),
    numeric("RAD-01 liều tích lũy", "RAD-01", "hard",
            "<p>Suất liều tại chỗ làm việc là 2 µSv/h. Một người đứng đó 5 giờ nhận liều bao nhiêu?</p>",
            10, 0.1, [("µSv", 1), ("uSv", 1), ("mSv", 0.001)],
            "<p>Liều = suất liều × thời gian = 2 µSv/h × 5 h = 10 µSv (0,01 mSv).</p>",
            TT_LIEU, "Phụ lục I"),
    # RAD-02 giấy phép
    single("RAD-02 cơ quan cấp phép X-quang", "RAD-02", "medium",
           "<p>Cơ sở X-quang chẩn đoán y tế xin giấy phép tiến hành công việc bức xạ tại cơ quan nào?</p>",
           "Sở Khoa học và Công nghệ tỉnh",
           ["UBND xã", "Bộ Tài chính", "Sở Giáo dục và Đào tạo"],
           "<p>Sở KH&amp;CN cấp giấy phép sử dụng thiết bị X-quang chẩn đoán y tế.</p>",
           ND_BUC_XA, "Điều 41"),
    truefalse("RAD-02 thời hạn giấy phép", "RAD-02", "medium",
              "<p>Giấy phép sử dụng thiết bị X-quang chẩn đoán y tế có thời hạn tối đa 5 năm.</p>",
              True,
              "<p>Thời hạn giấy phép theo Nghị định 142/2020/NĐ-CP.</p>",
              ND_BUC_XA, "Điều 37"),
    multiple("RAD-02 hồ sơ đề nghị", "RAD-02", "medium",
             "<p>Hồ sơ đề nghị cấp giấy phép sử dụng thiết bị X-quang cần những tài liệu nào?</p>",
             ["Đơn đề nghị cấp giấy phép", "Báo cáo đánh giá an toàn", "Chứng chỉ nhân viên phụ trách an toàn"],
             ["Giấy khai sinh của giám đốc", "Sổ hộ khẩu của nhân viên"],
             "<p>Hồ sơ gồm đơn, báo cáo đánh giá an toàn và chứng chỉ của người phụ trách an toàn.</p>",
             ND_BUC_XA, "Điều 12"),
    shorttext("RAD-02 người phụ trách", "RAD-02", "hard",
              "<p>Cơ sở tiến hành công việc bức xạ phải cử một người chịu trách nhiệm về an toàn. Chức danh này gọi là gì?</p>",
              ["người phụ trách an toàn", "phụ trách an toàn bức xạ", "người phụ trách an toàn bức xạ"],
              "<p>Người phụ trách an toàn bức xạ phải có chứng chỉ theo quy định.</p>",
              LUAT_NLNT, "Điều 24"),
    # RAD-03 kiểm tra X-quang
    numeric("RAD-03 giới hạn liều công chúng", "RAD-03", "medium",
            "<p>Giới hạn liều hiệu dụng đối với công chúng là bao nhiêu trong một năm?</p>",
            1, 0.001, [("mSv", 1), ("µSv", 1000), ("uSv", 1000)],
            "<p>Giới hạn liều công chúng: 1 mSv/năm.</p>",
            TT_LIEU, "Điều 6"),
    matching("RAD-03 giới hạn liều", "RAD-03", "hard",
             "<p>Ghép mỗi đối tượng với giới hạn liều hiệu dụng trung bình hằng năm.</p>",
             [("Nhân viên bức xạ", "20 mSv/năm (trung bình 5 năm)"), ("Công chúng", "1 mSv/năm")],
             ["100 mSv/năm"],
             "<p>Giới hạn liều theo Thông tư 19/2012/TT-BKHCN.</p>",
             TT_LIEU, "Điều 6"),
    truefalse("RAD-03 liều kế cá nhân", "RAD-03", "medium",
              "<p>Nhân viên bức xạ tại phòng X-quang phải đeo liều kế cá nhân trong giờ làm việc.</p>",
              True,
              "<p>Theo dõi liều cá nhân là bắt buộc với nhân viên bức xạ.</p>",
              TT_LIEU, "Điều 13"),
    multiple("RAD-03 điều cần kiểm tra", "RAD-03", "hard",
             "<p>Khi kiểm tra phòng X-quang, cần xem xét những gì?</p>",
             ["Đèn cảnh báo trên cửa phòng hoạt động", "Biển cảnh báo bức xạ ở lối vào", "Hồ sơ theo dõi liều nhân viên"],
             ["Màu sơn của tường hành lang", "Số lượng ghế chờ của bệnh nhân"],
             "<p>Các biện pháp cảnh báo và hồ sơ an toàn là nội dung kiểm tra chính.</p>",
             TT_LIEU, "Điều 11, 13"),
    single("RAD-03 che chắn", "RAD-03", "medium",
           "<p>Vật liệu nào thường dùng để che chắn tường phòng X-quang?</p>",
           "Chì hoặc bê tông đủ dày",
           ["Kính thường", "Gỗ dán", "Nhựa xốp"],
           "<p>Chì, bê tông barit hoặc bê tông thường đủ dày để giảm suất liều ra ngoài.</p>",
           TT_LIEU, "Phụ lục II"),

    # --- radio frequencies -----------------------------------------------------------------
    single("RF-01 nơi tiếp nhận can nhiễu", "RF-01", "easy",
           "<p>Phản ánh can nhiễu sóng vô tuyến điện được chuyển tới cơ quan nào để xử lý?</p>",
           "Cục Tần số vô tuyến điện (qua Trung tâm tần số khu vực)",
           ["Công an xã", "Điện lực huyện", "Phòng Giáo dục huyện"],
           "<p>Cục Tần số VTĐ xử lý can nhiễu có hại.</p>",
           LUAT_TAN_SO, "Điều 41"),
    truefalse("RF-01 can nhiễu có hại", "RF-01", "easy",
              "<p>Can nhiễu có hại là can nhiễu làm gián đoạn hoặc ảnh hưởng nghiêm trọng đến hoạt động của đài vô tuyến điện hợp pháp.</p>",
              True,
              "<p>Định nghĩa tại Điều 3 Luật Tần số vô tuyến điện.</p>",
              LUAT_TAN_SO, "Điều 3"),
    multiple("RF-01 thông tin cần ghi", "RF-01", "medium",
             "<p>Phiếu tiếp nhận phản ánh can nhiễu cần ghi những thông tin nào?</p>",
             ["Thời gian, vị trí xảy ra can nhiễu", "Tần số hoặc dịch vụ bị ảnh hưởng", "Thông tin liên hệ người phản ánh"],
             ["Thu nhập của người phản ánh", "Số điện thoại của hàng xóm"],
             "<p>Thông tin đủ để Trung tâm tần số khu vực xác minh và xử lý.</p>",
             LUAT_TAN_SO, "Điều 41"),
    single("RF-01 nguồn can nhiễu thường gặp", "RF-01", "medium",
           "<p>Thiết bị nào sau đây hay gây can nhiễu cho sóng di động khi dùng trái phép?</p>",
           "Bộ khuếch đại sóng di động (repeater) tự lắp",
           ["Điện thoại bàn có dây", "Quạt điện", "Nồi cơm điện"],
           "<p>Repeater không phép thường gây can nhiễu cho mạng di động.</p>",
           LUAT_TAN_SO, "Điều 41"),
    numeric("RF-01 bước sóng", "RF-01", "hard",
            "<p>Sóng vô tuyến có tần số 100 MHz có bước sóng bao nhiêu? (tốc độ ánh sáng 3·10⁸ m/s)</p>",
            3, 0.01, [("m", 1), ("cm", 100)],
            "<p>λ = c / f = 3·10⁸ / 10⁸ = 3 m.</p>",
            LUAT_TAN_SO, "Điều 3"),
    # RF-02 kiểm tra
    truefalse("RF-02 dùng tần số không phép", "RF-02", "easy",
              "<p>Tổ chức, cá nhân sử dụng tần số vô tuyến điện mà không có giấy phép (trừ trường hợp được miễn) là vi phạm pháp luật.</p>",
              True,
              "<p>Sử dụng tần số phải có giấy phép, trừ thiết bị được miễn theo danh mục.</p>",
              LUAT_TAN_SO, "Điều 16"),
    single("RF-02 thiết bị được miễn phép", "RF-02", "medium",
           "<p>Thiết bị nào sau đây được miễn giấy phép sử dụng tần số?</p>",
           "Bộ phát Wi-Fi gia đình đúng quy chuẩn",
           ["Đài phát thanh FM của xã", "Trạm phát sóng truyền hình", "Máy bộ đàm công suất lớn của tàu cá"],
           "<p>Thiết bị vô tuyến cự ly ngắn đúng quy chuẩn được miễn giấy phép.</p>",
           LUAT_TAN_SO, "Điều 16"),
    matching("RF-02 dịch vụ và giấy phép", "RF-02", "hard",
             "<p>Ghép mỗi thiết bị với loại giấy phép tần số cần có.</p>",
             [("Đài truyền thanh không dây của xã", "Giấy phép sử dụng tần số và thiết bị vô tuyến điện"),
              ("Máy thu phát trên tàu cá", "Giấy phép đài tàu"),
              ("Điện thoại di động của người dân", "Không cần giấy phép")],
             ["Giấy phép kinh doanh karaoke"],
             "<p>Mỗi loại đài/thiết bị có loại giấy phép riêng hoặc được miễn.</p>",
             LUAT_TAN_SO, "Điều 16, 18"),
    multiple("RF-02 kiểm tra đài truyền thanh", "RF-02", "medium",
             "<p>Khi kiểm tra đài truyền thanh không dây của xã, cần đối chiếu những gì?</p>",
             ["Tần số phát thực tế với giấy phép", "Công suất phát", "Thời hạn giấy phép"],
             ["Màu sơn của cột anten", "Số loa trong hội trường"],
             "<p>Các thông số kỹ thuật và hiệu lực giấy phép là nội dung kiểm tra.</p>",
             LUAT_TAN_SO, "Điều 16"),
    # RF-03 thủ tục cấp phép
    single("RF-03 cơ quan cấp giấy phép", "RF-03", "easy",
           "<p>Cơ quan nào cấp giấy phép sử dụng tần số và thiết bị vô tuyến điện?</p>",
           "Cục Tần số vô tuyến điện",
           ["UBND xã", "Sở Tài nguyên và Môi trường", "Ngân hàng nhà nước"],
           "<p>Cục Tần số VTĐ thuộc Bộ Khoa học và Công nghệ cấp giấy phép.</p>",
           LUAT_TAN_SO, "Điều 19"),
    truefalse("RF-03 nộp hồ sơ trực tuyến", "RF-03", "medium",
              "<p>Hồ sơ đề nghị cấp giấy phép sử dụng tần số có thể nộp trực tuyến.</p>",
              True,
              "<p>Cục Tần số VTĐ tiếp nhận hồ sơ qua hệ thống cấp phép trực tuyến.</p>",
              LUAT_TAN_SO, "Điều 19"),
    shorttext("RF-03 phí sử dụng", "RF-03", "medium",
              "<p>Ngoài lệ phí cấp giấy phép, tổ chức sử dụng tần số còn phải nộp khoản nào hằng năm? (ba chữ đầu: phí sử dụng …)</p>",
              ["phí sử dụng tần số", "phí sử dụng tần số vô tuyến điện"],
              "<p>Phí sử dụng tần số vô tuyến điện nộp theo quy định về phí, lệ phí.</p>",
              LUAT_TAN_SO, "Điều 13"),
    multiple("RF-03 điều kiện cấp phép", "RF-03", "hard",
             "<p>Điều kiện để được cấp giấy phép sử dụng tần số và thiết bị vô tuyến điện gồm những gì?</p>",
             ["Có mục đích sử dụng phù hợp quy hoạch phổ tần số", "Thiết bị phù hợp quy chuẩn kỹ thuật", "Cam kết không gây can nhiễu có hại"],
             ["Có trụ sở ở thủ đô", "Có vốn điều lệ trên 100 tỷ đồng"],
             "<p>Các điều kiện tại Điều 18 Luật Tần số vô tuyến điện.</p>",
             LUAT_TAN_SO, "Điều 18"),
    single("RF-03 thời hạn giấy phép đài tàu", "RF-03", "medium",
           "<p>Khi giấy phép sử dụng tần số sắp hết hạn mà vẫn cần sử dụng, chủ thiết bị phải làm gì?</p>",
           "Làm thủ tục gia hạn trước khi giấy phép hết hạn",
           ["Tiếp tục sử dụng, không cần làm gì", "Tự sửa ngày hết hạn trên giấy phép", "Chuyển sang tần số khác tùy ý"],
           "<p>Gia hạn giấy phép phải làm trước khi hết hạn theo quy định.</p>",
           LUAT_TAN_SO, "Điều 21"),
]
# fmt: on

# slug of the demo course → exam title, blueprint [(competency, difficulty, count)], thresholds
EXAMS = [
    (
        "so-huu-cong-nghiep-san-pham-dia-phuong",
        "Sát hạch: Sở hữu công nghiệp cho sản phẩm địa phương",
        [("IP-01", "easy", 3), ("IP-02", "medium", 2), ("IP-03", "medium", 2)],
    ),
    (
        "an-toan-buc-xa",
        "Sát hạch: An toàn bức xạ",
        [("RAD-01", "easy", 3), ("RAD-02", "medium", 2), ("RAD-03", "medium", 2)],
    ),
    (
        "tan-so-vo-tuyen-dien",
        "Sát hạch: Quản lý tần số vô tuyến điện",
        [("RF-01", "easy", 2), ("RF-02", "medium", 2), ("RF-03", "medium", 2)],
    ),
]


# exam title → (English title, English instructions)
EXAMS_EN = {
    "Sát hạch: Đo lường cơ bản": (
        "Certification: Basic metrology",
        "7 multiple-choice questions on group 2 measuring instruments and prepackaged goods. "
        "Pass with 60% or more; 90% or more on a competency records the Proficient level.",
    ),
    "Sát hạch: Sở hữu công nghiệp cho sản phẩm địa phương": (
        "Certification: Industrial property for local products",
        "7 questions. Pass with 70% or more; 90% or more on a competency records the "
        "Proficient level.",
    ),
    "Sát hạch: An toàn bức xạ": (
        "Certification: Radiation safety",
        "7 questions. Pass with 70% or more; 90% or more on a competency records the "
        "Proficient level.",
    ),
    "Sát hạch: Quản lý tần số vô tuyến điện": (
        "Certification: Radio-frequency management",
        "6 questions. Pass with 70% or more; 90% or more on a competency records the "
        "Proficient level.",
    ),
}


def _question_upsert(spec: dict, competencies) -> Question:
    (document, effective) = spec["law"]
    question, created = Question.objects.get_or_create(
        name=spec["name"],
        defaults={
            "qtype": spec["qtype"],
            "competency": competencies[spec["code"]],
            "difficulty": spec["difficulty"],
            "status": Question.Status.APPROVED,
            "legal_document": document,
            "legal_article": spec["article"],
            "legal_effective_date": effective,
        },
    )
    if created:
        question_version_create(
            question=question,
            stem=spec["stem"],
            options=spec.get("options"),
            data=spec.get("data"),
            explanation=spec["explanation"],
        )
    return question


def metrology_basics_exam_seed(*, competencies, levels, courses) -> Exam:
    """The "Đo lường cơ bản" course's exam: easy questions on both competencies the course
    teaches, so that passing it can award each of them."""
    exam, _ = Exam.objects.get_or_create(
        title="Sát hạch: Đo lường cơ bản",
        defaults={
            "kind": Exam.Kind.CERTIFICATION,
            "course": courses["do-luong-co-ban"],
            "time_limit_minutes": 20,
            "pass_mark_percent": 60,
            "max_attempts": 3,
            "awarded_level": levels[2],
            "instructions": "Bài thi gồm 7 câu hỏi trắc nghiệm về phương tiện đo nhóm 2 và "
            "hàng đóng gói sẵn. Đạt từ 60% trở lên; điểm từng năng lực từ 90% trở lên được "
            "ghi nhận mức Thành thạo.",
            "title_en": EXAMS_EN["Sát hạch: Đo lường cơ bản"][0],
            "instructions_en": EXAMS_EN["Sát hạch: Đo lường cơ bản"][1],
        },
    )
    for code, count in (("MET-01", 5), ("MET-02", 2)):
        BlueprintCell.objects.get_or_create(
            exam=exam, competency=competencies[code], difficulty="easy", defaults={"count": count}
        )
    # a provincial metrology officer needs level 3: a near-perfect score records it
    for rank, min_percent in ((2, 60), (3, 90)):
        ExamLevelThreshold.objects.get_or_create(
            exam=exam, level=levels[rank], defaults={"min_percent": min_percent}
        )
    if not exam.published:
        exam_publish(exam=exam)
    return exam


def demo_questions_seed(*, competencies, levels, courses) -> dict[str, Exam]:
    """The bank above, the metrology basics exam and one published certification exam per
    other core domain, keyed by course slug."""
    for spec in QUESTIONS:
        _question_upsert(spec, competencies)
    exams = {}
    for slug, title, blueprint in EXAMS:
        count = sum(n for _code, _difficulty, n in blueprint)
        exam, created = Exam.objects.get_or_create(
            title=title,
            defaults={
                "kind": Exam.Kind.CERTIFICATION,
                "course": courses[slug],
                "time_limit_minutes": 20,
                "pass_mark_percent": 70,
                "max_attempts": 3,
                "cooldown_minutes": 60,
                "awarded_level": levels[2],
                "review_after_submit": "right_wrong",
                "review_after_close": "full",
                "instructions": f"Bài thi gồm {count} câu hỏi. Đạt từ 70% trở lên; "
                "điểm từng năng lực từ 90% trở lên được ghi nhận mức Thành thạo.",
                "title_en": EXAMS_EN[title][0],
                "instructions_en": EXAMS_EN[title][1],
            },
        )
        for code, difficulty, n in blueprint:
            BlueprintCell.objects.get_or_create(
                exam=exam,
                competency=competencies[code],
                difficulty=difficulty,
                defaults={"count": n},
            )
        if created:
            ExamLevelThreshold.objects.create(exam=exam, level=levels[2], min_percent=70)
            ExamLevelThreshold.objects.create(exam=exam, level=levels[3], min_percent=90)
        if not exam.published:
            exam_publish(exam=exam)
        exams[slug] = exam
    exams["do-luong-co-ban"] = metrology_basics_exam_seed(
        competencies=competencies, levels=levels, courses=courses
    )
    return exams


# slug of the demo course → (English title, practice blueprint [(competency, difficulty,
# count)]): the easy and medium questions of the competencies the course teaches, fewer per cell
# than the bank holds where it can, so that each try draws a different set
PRACTICE = [
    (
        "do-luong-co-ban",
        "Practice: Basic metrology",
        [("MET-01", "easy", 4), ("MET-01", "medium", 2), ("MET-02", "easy", 1),
         ("MET-02", "medium", 1)],
    ),
    (
        "so-huu-cong-nghiep-san-pham-dia-phuong",
        "Practice: Industrial property for local products",
        [("IP-01", "easy", 2), ("IP-01", "medium", 1), ("IP-02", "easy", 1),
         ("IP-02", "medium", 1), ("IP-03", "medium", 2)],
    ),
    (
        "an-toan-buc-xa",
        "Practice: Radiation safety",
        [("RAD-01", "easy", 2), ("RAD-01", "medium", 1), ("RAD-02", "medium", 2),
         ("RAD-03", "medium", 2)],
    ),
    (
        "tan-so-vo-tuyen-dien",
        "Practice: Radio-frequency management",
        [("RF-01", "easy", 1), ("RF-01", "medium", 1), ("RF-02", "easy", 1),
         ("RF-02", "medium", 1), ("RF-03", "easy", 1), ("RF-03", "medium", 1)],
    ),
]  # fmt: skip


def practice_exams_seed(*, competencies, courses) -> dict[str, Exam]:
    """One published practice exam per demo course, keyed by course slug: open while the
    course is still being learnt, tried as often as wanted, with the answers and explanations
    shown after each try; it records no competency and earns no certificate."""
    exams = {}
    for slug, title_en, blueprint in PRACTICE:
        course = courses[slug]
        count = sum(n for _code, _difficulty, n in blueprint)
        # the level is the course's, though a practice exam never records it
        top = max(course.taught.select_related("level"), key=lambda t: t.level.rank)
        exam, _created = Exam.objects.get_or_create(
            title=f"Luyện tập: {course.title}",
            defaults={
                "kind": Exam.Kind.PRACTICE,
                "course": course,
                "requires_course_completion": False,
                "time_limit_minutes": 60,
                "pass_mark_percent": 70,
                "max_attempts": 50,
                "cooldown_minutes": 0,
                "awarded_level": top.level,
                "review_after_submit": "full",
                "review_after_close": "full",
                "instructions": f"Bài luyện tập gồm {count} câu hỏi, rút ngẫu nhiên mỗi lần làm. "
                "Không tính vào hồ sơ năng lực và không cấp chứng chỉ: làm bao nhiêu lần "
                "tùy ý, nộp bài là xem ngay đáp án đúng và giải thích.",
                "title_en": title_en,
                "instructions_en": f"{count} questions, drawn anew at each try. Practice "
                "records no competency and earns no certificate: try as often as you like; "
                "after submitting you see the right answers and explanations at once.",
            },
        )
        for code, difficulty, n in blueprint:
            BlueprintCell.objects.get_or_create(
                exam=exam,
                competency=competencies[code],
                difficulty=difficulty,
                defaults={"count": n},
            )
        if not exam.published:
            exam_publish(exam=exam)
        exams[slug] = exam
    return exams
