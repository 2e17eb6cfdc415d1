Attribute VB_Name = "ThiDua"
' Ribbon callbacks of the "Thi dua" tab (workbooks/addin/customUI.xml).
' ASCII only: the VBA editor reads .bas files in the system code page.
' Each button runs a Python macro through xlwings' RunPython (module "xlwings" of the add-in).
' Import this file into the add-in's VBA project (VBA editor: File > Import File...).
Option Explicit

Sub TinhLai(control As IRibbonControl)
    RunPython "import udfs.ribbon; udfs.ribbon.tinh_lai()"
End Sub

Sub KiemTraDuLieu(control As IRibbonControl)
    RunPython "import udfs.ribbon; udfs.ribbon.kiem_tra_du_lieu()"
End Sub

Sub TaoBangKhenThuong(control As IRibbonControl)
    RunPython "import udfs.ribbon; udfs.ribbon.tao_bang_khen_thuong()"
End Sub

Sub TaoSoMoi(control As IRibbonControl)
    Dim plan As String
    plan = InputBox("Ma ke hoach (hau-giang-2023, chau-thanh-a-2021, phung-hiep-2023, hau-giang-766-2024, ninh-phuoc-2023):", _
                    "Tao so moi tu mau", "hau-giang-2023")
    If plan = "" Then Exit Sub
    If plan Like "*[!a-z0-9-]*" Then
        MsgBox "Ma ke hoach chi gom chu thuong, so va dau '-'.", vbExclamation, "Thi dua"
        Exit Sub
    End If
    RunPython "import udfs.ribbon; udfs.ribbon.tao_so_moi('" & plan & "')"
End Sub
