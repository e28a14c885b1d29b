from django.contrib.syndication.views import Feed


class LatestComments(Feed):
    title = link = "/"

    def items(self):
        return []


PostComments = LatestComments
