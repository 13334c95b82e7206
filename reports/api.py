from rest_framework.views import APIView


class YearlyReportView(APIView):
    pass
